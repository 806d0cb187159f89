import { TextReader, Uint8ArrayWriter, ZipWriter } from "@zip.js/zip.js/lib/zip-core-custom.js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser } from "./browser";
import { type DevServer, startDevServer, tern } from "./dev-server";
import { freePort } from "./free-port";

/** A small Mastodon archive: one post and its reply, as Mastodon's backup writes them. */
async function smallArchive(): Promise<Buffer> {
	const actor = "https://old.example/users/kim";
	const note = (id: string, content: string, inReplyTo: string | null) => ({
		id: `${actor}/statuses/${id}/activity`,
		type: "Create",
		actor,
		published: `2022-0${id.slice(-1)}-01T12:00:00Z`,
		to: ["https://www.w3.org/ns/activitystreams#Public"],
		cc: [`${actor}/followers`],
		object: {
			id: `${actor}/statuses/${id}`,
			type: "Note",
			published: `2022-0${id.slice(-1)}-01T12:00:00Z`,
			url: `https://old.example/@kim/${id}`,
			attributedTo: actor,
			to: ["https://www.w3.org/ns/activitystreams#Public"],
			cc: [`${actor}/followers`],
			inReplyTo,
			content,
			attachment: [],
			tag: [],
		},
	});
	const zip = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
	const items = [note("101", "<p>Old post</p>", null), note("102", "<p>Old reply</p>", `${actor}/statuses/101`)];
	await zip.add(
		"outbox.json",
		new TextReader(
			JSON.stringify({ id: "outbox.json", type: "OrderedCollection", totalItems: 2, orderedItems: items }),
		),
	);
	await zip.add("actor.json", new TextReader(JSON.stringify({ id: actor, type: "Person", preferredUsername: "kim" })));
	return Buffer.from(await zip.close());
}

describe.skipIf(!hasChromium)("the data page in a browser", () => {
	let server: DevServer;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		[server, browser] = await Promise.all([startDevServer(await freePort()), launchBrowser()]);
		const state = ["--state", server.state];
		for (const name of ["kim", "lee"]) {
			const created = await tern([
				"user",
				"create",
				name,
				"--email",
				`${name}@example.com`,
				"--password",
				"correct horse battery",
				...state,
			]);
			expect(created.code, created.stderr).toBe(0);
		}
		page = await browser.newPage();
		await page.goto(`${server.url}/auth/sign_in`);
		await page.fill("#email", "kim@example.com");
		await page.fill("#password", "correct horse battery");
		// Signing in goes on (through the password work's requests) to the member's settings.
		await Promise.all([page.waitForURL(/\/settings\/profile$/), page.click("button[type=submit]")]);
		expect(await page.textContent("body")).toContain("Import and export");
	}, 180_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});

	it("exports an archive", async () => {
		await page.goto(`${server.url}/settings/data`);
		await Promise.all([page.waitForLoadState("load"), page.click("#request-export")]);
		for (let tries = 0; tries < 60 && (await page.locator("#export-download").count()) === 0; tries++) {
			await page.waitForTimeout(1000);
			await page.reload();
		}
		const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-download")]);
		expect(download.suggestedFilename()).toMatch(/^archive-\d{14}-\d+\.zip$/);
	}, 120_000);

	it("imports a follows CSV, with the progress bar reaching 100 %", async () => {
		await page.goto(`${server.url}/settings/data`);
		await page.selectOption("#import-type", "following");
		await page.setInputFiles("#import-file", {
			name: "following_accounts.csv",
			mimeType: "text/csv",
			buffer: Buffer.from(
				`Account address,Show boosts,Notify on new posts,Languages\nlee@${new URL(server.url).host},true,false,\n`,
			),
		});
		await Promise.all([page.waitForLoadState("load"), page.click("#csv-form button[type=submit]")]);
		// The script moves the bar as rows are done, then reloads the page with the summary.
		const box = page.locator(".import").first();
		await box.locator(".summary").waitFor({ timeout: 60_000 });
		expect(await box.locator("progress").getAttribute("value")).toBe("100");
		expect(await box.textContent()).toContain("1 imported");
	}, 120_000);

	it("imports a small archive", async () => {
		await page.goto(`${server.url}/settings/data`);
		await page.setInputFiles("#archive-file", {
			name: "archive.zip",
			mimeType: "application/zip",
			buffer: await smallArchive(),
		});
		await page.click("#archive-form button[type=submit]");
		await page.waitForURL(/\/settings\/data\?import=/, { timeout: 60_000 });
		const box = page.locator(".import").first();
		await box.locator(".summary").waitFor({ timeout: 60_000 });
		expect(await box.locator("progress").getAttribute("value")).toBe("100");
		expect(await box.textContent()).toContain("2 imported");
	}, 120_000);
});
