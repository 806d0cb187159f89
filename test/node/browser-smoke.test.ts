import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser } from "./browser";
import { type DevServer, startDevServer } from "./dev-server";
import { freePort } from "./free-port";

describe.skipIf(!hasChromium)("a browser against the dev server", () => {
	let server: DevServer;
	let browser: Browser;

	beforeAll(async () => {
		[server, browser] = await Promise.all([startDevServer(await freePort()), launchBrowser()]);
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it("renders the sign-in page", async () => {
		const page = await browser.newPage();
		const response = await page.goto(`${server.url}/auth/sign_in`);
		expect(response?.status()).toBe(200);
		expect(await page.locator("input[type=password]").count()).toBe(1);
	});
});
