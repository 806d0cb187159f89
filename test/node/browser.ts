import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium, which `.ci/run` installs where it is missing. */
export const CHROMIUM = process.env.TERN_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Whether browser tests can run here. CI always has Chromium; on a machine
 * without it the browser tests are skipped (with `describe.skipIf`), so the
 * quick start's `npm test` still works on a fresh machine.
 */
export const hasChromium = existsSync(CHROMIUM);

/**
 * Headless Chromium as root in a sandboxed machine: no sandbox, no GPU, and
 * no background connections, which the closed network here refuses.
 */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			"--no-sandbox",
			"--disable-gpu",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
		],
	});
}
