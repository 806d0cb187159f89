// Phanpy, a real Mastodon web app, signed in to `npm run dev -- --https` in
// Chromium: a post from another account shows up without a reload, carried by
// the streaming API. Phanpy is not published on npm, so this runs only where a
// build of it is given: TERN_PHANPY_DIST=<Phanpy's dist folder> (README, "Which
// apps have been tried"). Elsewhere, CI included, it is skipped; the masto.js page
// in e2e-streaming.test.ts checks the same path with what npm has.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser } from "./browser";
import { type DevServer, startDevServer, tern } from "./dev-server";
import { freePorts } from "./free-port";

const DIST = process.env.TERN_PHANPY_DIST ?? "";
const PASSWORD = "phanpy password, long enough";
const TYPES: Record<string, string> = {
	".html": "text/html",
	".js": "text/javascript",
	".css": "text/css",
	".json": "application/json",
	".svg": "image/svg+xml",
	".png": "image/png",
	".webmanifest": "application/manifest+json",
};

/** Serves the app's build as a static site would: unknown paths get index.html. */
function servePhanpy(port: number): Promise<Server> {
	const server = createServer((request, response) => {
		let path = join(DIST, decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
		if (!path.startsWith(DIST) || !existsSync(path) || statSync(path).isDirectory()) path = join(DIST, "index.html");
		response.writeHead(200, { "Content-Type": TYPES[extname(path)] ?? "application/octet-stream" });
		createReadStream(path).pipe(response);
	});
	return new Promise((resolve) => server.listen(port, "localhost", () => resolve(server)));
}

describe.skipIf(!DIST || !hasChromium)("Phanpy in Chromium", () => {
	let server: DevServer;
	let phanpy: Server;
	let phanpyUrl: string;
	let bobToken: string;

	const api = async (token: string, method: string, path: string, body?: unknown) => {
		const response = await fetch(`${server.url}${path}`, {
			method,
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
		return response.json();
	};
	const cli = async (...args: string[]) => {
		const result = await tern([...args, "--state", server.state]);
		expect(result.code, result.stderr).toBe(0);
		return result.stdout.trim();
	};

	beforeAll(async () => {
		// The dev server's certificate is self-signed; these requests stay on loopback.
		process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
		const [port, pagePort] = await freePorts(2);
		server = await startDevServer(port as number, ["--https", "--no-cron"]);
		phanpy = await servePhanpy(pagePort as number);
		phanpyUrl = `http://localhost:${pagePort}/`;
		for (const name of ["alice", "bob"]) {
			await cli("user", "create", name, "--email", `${name}@phanpy.test`, "--password", PASSWORD);
		}
		const aliceToken = await cli("token", "create", "alice", "--scopes", "read write follow");
		bobToken = await cli("token", "create", "bob", "--scopes", "read write follow");
		const bob = await api(bobToken, "GET", "/api/v1/accounts/verify_credentials");
		await api(aliceToken, "POST", `/api/v1/accounts/${bob.id}/follow`);
		await api(bobToken, "POST", "/api/v1/statuses", { status: "An older post from Bob" });
	}, 300_000);

	afterAll(async () => {
		await new Promise((resolve) => phanpy?.close(resolve));
		await server?.stop();
	});

	/** Phanpy's own sign-in: the server's address, then Tern's sign-in and authorization pages. */
	async function signIn(page: Page): Promise<void> {
		await page.goto(`${phanpyUrl}#/login`);
		// Phanpy's form takes a host with a dot: the loopback address rather than "localhost".
		await page.fill("#instanceURL", `127.0.0.1:${new URL(server.url).port}`);
		// Phanpy opens the authorization in a popup where it can, else in the same tab.
		const popup = page
			.context()
			.waitForEvent("page", { timeout: 30_000 })
			.catch(() => null);
		await page.click("form button:not([type=button])");
		const auth = (await popup) ?? page;
		await auth.fill("input[name=email]", "alice@phanpy.test", { timeout: 60_000 });
		await auth.fill("input[name=password]", PASSWORD);
		await auth.click("button[type=submit]");
		await auth.click("button[name=decision][value=approve]", { timeout: 60_000 });
	}

	it("shows a followed account's new post, an edit and a mention without a reload, from the stream", async () => {
		const browser: Browser = await launchBrowser();
		try {
			const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
			let streams = 0;
			const updates: string[] = [];
			page.on("websocket", (ws) => {
				if (!ws.url().includes("/api/v1/streaming")) return;
				streams++;
				ws.on("framereceived", ({ payload }) => {
					const message = JSON.parse(String(payload)) as { event?: string; payload?: string };
					if (message.event === "update" && message.payload) updates.push(message.payload);
				});
			});
			await signIn(page);
			await page.locator("text=An older post from Bob").first().waitFor({ timeout: 120_000 });
			// A reload would lose this; it is checked at the end.
			await page.evaluate(() => {
				(window as unknown as { ternMark: string }).ternMark = "not reloaded";
			});
			// Phanpy opens its stream after the timeline; post once it is open and subscribed.
			await expect.poll(() => streams, { timeout: 60_000 }).toBeGreaterThan(0);
			await page.waitForTimeout(2000);

			const text = `Live from Bob ${Date.now()}`;
			const posted = await api(bobToken, "POST", "/api/v1/statuses", { status: text });
			// Phanpy puts a stream's new posts behind its "New posts" button, or in place at the top.
			const shown = page.locator(`text=${text}`).first();
			const button = page.locator("button.updates-button");
			await Promise.race([shown.waitFor({ timeout: 30_000 }), button.waitFor({ timeout: 30_000 })]);
			if (!(await shown.isVisible())) await button.click();
			await shown.waitFor({ timeout: 10_000 });
			expect(updates.some((payload) => JSON.parse(payload).id === posted.id)).toBe(true);

			// An edit reaches the post on screen (status.update), and a mention lights the bell (notification).
			const older = (await api(bobToken, "GET", `/api/v1/accounts/${posted.account.id}/statuses`)) as {
				id: string;
				content: string;
			}[];
			const first = older.find((status) => status.content.includes("An older post from Bob"));
			const edited = `An older post from Bob, edited ${Date.now()}`;
			await api(bobToken, "PUT", `/api/v1/statuses/${first?.id}`, { status: edited });
			await page.locator(`text=${edited}`).first().waitFor({ timeout: 30_000 });
			await api(bobToken, "POST", "/api/v1/statuses", { status: "@alice did you see this?" });
			await page.locator(".notifications-button.has-badge").first().waitFor({ timeout: 30_000 });
			expect(await page.evaluate(() => (window as unknown as { ternMark?: string }).ternMark)).toBe("not reloaded");
		} finally {
			await browser.close();
		}
	}, 300_000);
});
