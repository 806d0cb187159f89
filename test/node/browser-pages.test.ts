// Pages in a real browser (Debian's Chromium through playwright-core)
// against one `npm run dev` server: the public pages (browser-public.ts) and a
// member's settings (browser-account.ts). One server for both, because each
// dev server costs a minute of the shared machine's CPU to start.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe } from "vitest";
import { hasChromium, launchBrowser } from "./browser";
import { accountSettingsTests } from "./browser-account";
import { publicPageTests } from "./browser-public";
import { type DevServer, startDevServer } from "./dev-server";
import { freePort } from "./free-port";

describe.skipIf(!hasChromium)("pages in a browser", () => {
	let server: DevServer;
	let browser: Browser;

	beforeAll(async () => {
		[server, browser] = await Promise.all([startDevServer(await freePort()), launchBrowser()]);
	}, 300_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	publicPageTests(() => ({ server, browser }));
	accountSettingsTests(() => ({ server, browser }));
});
