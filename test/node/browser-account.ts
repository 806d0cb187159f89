// A member's own settings in a real browser against `npm run dev`: change the
// password, turn on two-factor sign-in, sign in again with a code (through an
// app's OAuth flow), then revoke the app, whose token stops working.
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { type DevServer, ROOT } from "./dev-server";

const EMAIL = "member@browser.example";
const FIRST_PASSWORD = "the first long password";
const NEW_PASSWORD = "a second, newer password";
const OOB = "urn:ietf:wg:oauth:2.0:oob";

function base32Decode(text: string): Buffer {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	let bits = 0;
	let value = 0;
	const out: number[] = [];
	for (const char of text.replace(/=+$/, "")) {
		value = (value << 5) | alphabet.indexOf(char);
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 255);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

/** RFC 6238's code for a step, computed independently of Tern's own implementation. */
function totp(secret: string, step = Math.floor(Date.now() / 30_000)): string {
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(step));
	const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
	const offset = (mac.at(-1) as number) & 15;
	return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** Runs against the shared dev server and browser of browser-pages.test.ts. */
export function accountSettingsTests(shared: () => { server: DevServer; browser: Browser }): void {
	describe("a member's settings in a browser", () => {
		let server: DevServer;
		let browser: Browser;
		let page: Page;
		const consoleErrors: string[] = [];

		beforeAll(async () => {
			({ server, browser } = shared());
			execFileSync(
				process.execPath,
				[
					join(ROOT, "bin/tern.mjs"),
					"user",
					"create",
					"member",
					"--email",
					EMAIL,
					"--password",
					FIRST_PASSWORD,
					"--state",
					server.state,
				],
				{ cwd: ROOT },
			);
			page = await browser.newPage();
			page.on("console", (message) => {
				if (message.type() === "error") consoleErrors.push(message.text());
			});
		}, 300_000);

		async function signIn(password: string): Promise<void> {
			await page.fill("#email", EMAIL);
			await page.fill("#password", password);
			await page.click("button[type=submit]");
		}

		it("changes the password with the current one", async () => {
			await page.goto(`${server.url}/settings/account`);
			await page.waitForURL(/\/auth\/sign_in/);
			await signIn(FIRST_PASSWORD);
			await page.waitForURL(/\/settings\/account$/);
			await page.fill("#current-password", FIRST_PASSWORD);
			await page.fill("#new-password", NEW_PASSWORD);
			await page.click('form[action="/settings/account/password"] button');
			await expect(page.locator("p.ok").textContent()).resolves.toContain("Password changed");
		});

		let secret = "";

		it("turns on two-factor sign-in with a code from an authenticator", async () => {
			await page.click('nav.tabs a[href="/settings/two_factor"]');
			await page.click('form[action="/settings/two_factor/begin"] button');
			expect(await page.locator(".qr svg").count()).toBe(1);
			secret = (await page.locator("#totp-secret").textContent()) ?? "";
			expect(secret).toMatch(/^[A-Z2-7]{32}$/);
			await page.fill("#confirm-code", totp(secret));
			await page.click('form[action="/settings/two_factor/confirm"] button');
			await expect(page.locator("p.ok").first().textContent()).resolves.toContain("Two-factor sign-in is on");
			expect(await page.locator("ol.codes li").count()).toBe(10);
			await page.click('form[action="/auth/sign_out"] button');
			await expect(page.locator("h1").textContent()).resolves.toBe("Signed out");
		});

		let token = "";
		let appName = "";

		it("signs in again through an app's OAuth flow, which asks for the code", async () => {
			appName = `Browser test app ${Date.now()}`;
			const registered = await fetch(`${server.url}/api/v1/apps`, {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({ client_name: appName, redirect_uris: OOB, scopes: "read" }),
			});
			const app = (await registered.json()) as { client_id: string; client_secret: string };
			const authorize = new URL(`${server.url}/oauth/authorize`);
			for (const [k, v] of Object.entries({
				client_id: app.client_id,
				redirect_uri: OOB,
				response_type: "code",
				scope: "read",
			})) {
				authorize.searchParams.set(k, v);
			}
			await page.goto(authorize.href);
			await signIn(FIRST_PASSWORD);
			await expect(page.locator(".error").textContent()).resolves.toContain("Invalid email or password");
			// The browser logs the deliberate 401 of the wrong password; nothing else may be.
			consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !/status of 401/.test(e)));
			await signIn(NEW_PASSWORD);
			await page.waitForSelector("#code");
			// The step after the one used to turn it on, so the code is new.
			await page.fill("#code", totp(secret, Math.floor(Date.now() / 30_000) + 1));
			await page.click("button[type=submit]");
			await page.click('button[value="approve"]');
			const code = ((await page.locator("code.grant").textContent()) ?? "").trim();
			const exchanged = await fetch(`${server.url}/oauth/token`, {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({
					grant_type: "authorization_code",
					code,
					client_id: app.client_id,
					client_secret: app.client_secret,
					redirect_uri: OOB,
				}),
			});
			token = ((await exchanged.json()) as { access_token: string }).access_token;
			const me = await fetch(`${server.url}/api/v1/accounts/verify_credentials`, {
				headers: { Authorization: `Bearer ${token}` },
			});
			expect(me.status).toBe(200);
		});

		it("revokes the app: its token gets 401", async () => {
			await page.goto(`${server.url}/settings/apps`);
			const row = page.locator("tr", { hasText: appName });
			await row.locator("button").click();
			await expect(page.locator("p.ok").textContent()).resolves.toContain("Access revoked");
			const me = await fetch(`${server.url}/api/v1/accounts/verify_credentials`, {
				headers: { Authorization: `Bearer ${token}` },
			});
			expect(me.status).toBe(401);
			expect(consoleErrors).toEqual([]);
		});
	});
}
