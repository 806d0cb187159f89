// What a new admin does first: `npm run dev` with an empty state folder and no
// INSTANCE_DOMAIN, as a fresh deployment is; `/` leads to setup in a real
// browser, a wrong secret is refused, the right one leads on, setup signs the
// admin in; then a Mastodon client library signs in through the server's own
// OAuth pages with that account and posts, and /setup is gone for good.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createOAuthAPIClient, createRestAPIClient } from "masto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser } from "./browser";
import { type DevServer, startDevServer } from "./dev-server";
import { freePort } from "./free-port";

const PASSWORD = "setup password that is long";

describe.skipIf(!hasChromium)("setting up a new server in the browser", () => {
	let server: DevServer;
	let browser: Browser;
	let page: Page;
	let secret = "";

	// A slow machine (CI shares its cores between every test file) may take a while to start wrangler.
	beforeAll(async () => {
		[server, browser] = await Promise.all([
			startDevServer(await freePort(), ["--no-domain"], { timeoutMs: 170_000 }),
			launchBrowser(),
		]);
		secret = /^KEY_ENCRYPTION_SECRET=(.+)$/m.exec(readFileSync(join(server.state, ".dev.vars"), "utf8"))?.[1] ?? "";
		expect(secret.length).toBeGreaterThanOrEqual(32);
		page = await browser.newPage();
	}, 180_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it("leads from / to /setup, refuses a wrong secret and takes the right one", async () => {
		await page.goto(`${server.url}/`);
		expect(new URL(page.url()).pathname).toBe("/setup");
		await page.fill("#secret", "a wrong secret that is quite long enough");
		const refused = await Promise.all([page.waitForResponse(`${server.url}/setup`), page.click("button[type=submit]")]);
		expect(refused[0].status()).toBe(401);
		expect(await page.textContent("[role=alert]")).toContain("not this deployment");

		await page.fill("#secret", secret);
		await Promise.all([page.waitForResponse(`${server.url}/setup`), page.click("button[type=submit]")]);
		const host = new URL(server.url).host;
		expect(await page.textContent("main")).toContain(`@name@${host}`);
	});

	it("makes the admin and the server's settings, and signs the admin in", async () => {
		await page.fill("#username", "admin");
		await page.fill("#email", "admin@setup.example");
		await page.fill("#password", PASSWORD);
		await page.fill("#title", "Setup Test");
		await page.fill("#description", "Made in a browser");
		await page.fill("#rules", "Be kind\nNo spam");
		await page.check("input[name=registration_mode][value=approval]");
		const [done] = await Promise.all([
			page.waitForResponse(`${server.url}/setup/finish`),
			page.click("button[type=submit]"),
		]);
		expect(done.status()).toBe(200);
		const host = new URL(server.url).host;
		expect(await page.textContent("h1")).toBe("Your server is ready");
		expect(await page.textContent("main")).toContain(`@admin@${host}`);

		const instance = (await (await fetch(`${server.url}/api/v2/instance`)).json()) as {
			domain: string;
			title: string;
			registrations: { approval_required: boolean };
		};
		expect(instance).toMatchObject({ domain: host, title: "Setup Test", registrations: { approval_required: true } });
		const rules = (await (await fetch(`${server.url}/api/v1/instance/rules`)).json()) as Array<{ text: string }>;
		expect(rules.map((rule) => rule.text)).toEqual(["Be kind", "No spam"]);
	});

	it("lets a Mastodon client sign in as that admin through the signed-in browser, and post", async () => {
		const redirectUri = "urn:ietf:wg:oauth:2.0:oob";
		const app = await createRestAPIClient({ url: server.url }).v1.apps.create({
			clientName: "setup test",
			redirectUris: redirectUri,
			scopes: "read write",
		});
		const query = new URLSearchParams({
			response_type: "code",
			client_id: app.clientId as string,
			redirect_uri: redirectUri,
			scope: "read write",
		});
		// The browser still holds the session setup started: no sign-in form, straight to consent.
		await page.goto(`${server.url}/oauth/authorize?${query}`);
		expect(await page.textContent("main")).toContain("@admin");
		await Promise.all([
			page.waitForResponse((r) => r.request().method() === "POST" && r.url() === `${server.url}/oauth/authorize`),
			page.click("button[value=approve]"),
		]);
		await page.waitForLoadState();
		const code = (await page.textContent("code.grant"))?.trim() ?? "";
		expect(code).not.toBe("");

		const token = await createOAuthAPIClient({ url: server.url }).token.create({
			grantType: "authorization_code",
			clientId: app.clientId as string,
			clientSecret: app.clientSecret as string,
			redirectUri,
			code,
			scope: "read write",
		});
		const client = createRestAPIClient({ url: server.url, accessToken: token.accessToken });
		const me = await client.v1.accounts.verifyCredentials();
		expect(me.username).toBe("admin");
		expect(me.role?.name).toBe("Admin");
		const status = await client.v1.statuses.create({ status: "Hello from a server set up in the browser" });
		expect(status.account.username).toBe("admin");
		expect(status.uri).toBe(`${server.url}/users/admin/statuses/${status.id}`);
	});

	it("answers 404 at /setup from then on", async () => {
		const response = await page.goto(`${server.url}/setup`);
		expect(response?.status()).toBe(404);
		const post = await fetch(`${server.url}/setup`, { method: "POST" });
		expect(post.status).toBe(404);
	});
});
