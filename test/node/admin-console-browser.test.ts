import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser } from "./browser";
import { type DevServer, ROOT, startDevServer, tern } from "./dev-server";
import { freePorts } from "./free-port";

const run = promisify(execFile);
const PASSWORD = "a long moderator password";

/** Runs SQL on the dev server's local D1 (test setup only). */
async function sql(state: string, command: string): Promise<Record<string, unknown>[]> {
	const wrangler = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
	const { stdout } = await run(
		process.execPath,
		[wrangler, "d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", command],
		{ cwd: ROOT, env: { ...process.env, CI: "true" } },
	);
	return (JSON.parse(stdout) as { results: Record<string, unknown>[] }[])[0]?.results ?? [];
}

async function cli(state: string, ...args: string[]): Promise<string> {
	const result = await tern([...args, "--state", state]);
	if (result.code !== 0) throw new Error(`tern ${args.join(" ")}: ${result.stderr}`);
	return result.stdout;
}

interface Received {
	path: string;
	signature: string | null;
	body: string;
}

/** A stand-in for another server's inbox: records what is POSTed to it. */
function startInbox(port: number): Promise<{ server: Server; received: Received[] }> {
	const received: Received[] = [];
	const server = createServer(async (req: IncomingMessage, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		received.push({
			path: req.url ?? "",
			signature: (req.headers.signature as string) ?? null,
			body: Buffer.concat(chunks).toString(),
		});
		res.writeHead(202);
		res.end();
	});
	return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({ server, received })));
}

async function signIn(page: Page, email: string): Promise<void> {
	await page.fill("#email", email);
	await page.fill("#password", PASSWORD);
	await Promise.all([page.waitForURL((url) => url.pathname.startsWith("/admin")), page.click("button[type=submit]")]);
}

const PHONE = { width: 390, height: 844 };

/** Nothing on the page is wider than the phone's screen (tables scroll inside their own box). */
async function fitsThePhone(page: Page): Promise<boolean> {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	return width <= PHONE.width;
}

describe.skipIf(!hasChromium)("the admin console in a browser, on a phone-sized screen", () => {
	let server: DevServer;
	let browser: Browser;
	let inbox: { server: Server; received: Received[] };
	let inboxPort: number;
	let reportId: string;

	beforeAll(async () => {
		const [serverPort, port] = (await freePorts(2)) as [number, number];
		inboxPort = port;
		[server, browser, inbox] = await Promise.all([
			startDevServer(serverPort, [], { timeoutMs: 240_000 }),
			launchBrowser(),
			startInbox(inboxPort),
		]);
		await cli(
			server.state,
			"user",
			"create",
			"mod",
			"--email",
			"mod@example.com",
			"--password",
			PASSWORD,
			"--moderator",
		);
		await cli(server.state, "user", "create", "root", "--email", "root@example.com", "--password", PASSWORD, "--admin");
		await cli(server.state, "user", "create", "alice", "--email", "alice@example.com");
		const token = (await cli(server.state, "token", "create", "alice")).trim();
		// A remote account to report, an activity of alice's that ran out of retries: its parked delivery and dead letter.
		const now = Date.now();
		await sql(
			server.state,
			`insert into accounts (id, username, domain, display_name, uri, inbox_url, created_at, updated_at)
			values ('100000000000000001', 'spammer', 'spam.example', 'Spammer', 'https://spam.example/users/spammer',
				'https://spam.example/users/spammer/inbox', ${now}, ${now})`,
		);
		const [alice] = await sql(server.state, "select id, uri from accounts where username = 'alice'");
		const activity = JSON.stringify({
			"@context": "https://www.w3.org/ns/activitystreams",
			id: `${alice?.uri}#test-delivery`,
			type: "Update",
			actor: alice?.uri,
			object: alice?.uri,
		});
		await sql(
			server.state,
			`insert into outbox_activities (id, uri, account_id, type, body, created_at, inboxes, next_at, version)
			values ('100000000000000002', '${alice?.uri}#test-delivery', '${alice?.id}', 'Update', '${activity}', ${now},
				'[{"inbox":"http://127.0.0.1:${inboxPort}/inbox","attempts":0}]', null, 0);
			insert into dead_letters (id, queue, body, attempts, created_at)
			values ('100000000000000003', 'tern-delivery',
				'{"type":"deliver","deliveryId":"100000000000000002","uri":"${alice?.uri}#test-delivery","inbox":"http://127.0.0.1:${inboxPort}/inbox"}', 16, ${now})`,
		);
		const report = await fetch(`${server.url}/api/v1/reports`, {
			method: "POST",
			headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
			body: JSON.stringify({ account_id: "100000000000000001", comment: "Selling fake birdseed", category: "spam" }),
		});
		expect(report.status).toBe(200);
		reportId = ((await report.json()) as { id: string }).id;
	}, 400_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await new Promise((resolve) => inbox?.server.close(resolve));
	});

	it("a moderator resolves a report by suspending; an admin imports a blocklist and replays a dead letter; the audit log shows all three", async () => {
		const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
		const page = await context.newPage();

		// The moderator signs in from the console's address and comes back to it.
		await page.goto(`${server.url}/admin`);
		expect(new URL(page.url()).pathname).toBe("/auth/sign_in");
		await signIn(page, "mod@example.com");
		expect(await page.textContent("h1")).toBe("Dashboard");
		expect(await fitsThePhone(page)).toBe(true);

		await page.click("nav >> text=Reports");
		await page.click(`a[href="/admin/reports/${reportId}"]`);
		expect(await page.textContent("body")).toContain("Selling fake birdseed");
		expect(await fitsThePhone(page)).toBe(true);
		await page.selectOption("#action", "suspend");
		await page.fill("#note", "Spam account, seen on three reports elsewhere");
		await page.click(`button:text-is("Resolve")`);
		expect(await page.textContent(".flash")).toBe("Resolved: Suspend on @spammer@spam.example.");
		expect(await page.textContent("body")).toContain("(suspended)");

		// Domain blocks are the admin's: the moderator is refused.
		const refused = await page.goto(`${server.url}/admin/domain_blocks`);
		expect(refused?.status()).toBe(403);
		await page.goto(`${server.url}/admin`);
		await page.click("nav >> text=Sign out");

		await page.goto(`${server.url}/admin/domain_blocks`);
		await signIn(page, "root@example.com");
		expect(await page.textContent("h1")).toBe("Domain blocks");
		expect(await fitsThePhone(page)).toBe(true);
		await page.setInputFiles("#file", {
			name: "blocklist.csv",
			mimeType: "text/csv",
			buffer: Buffer.from(
				"#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n" +
					"spam-one.example,suspend,true,true,Spam,false\n" +
					"loud-two.example,silence,false,false,,false\n" +
					"pics-three.example,noop,true,false,,true\n",
			),
		});
		await page.click(`button:text-is("Preview import")`);
		expect(await page.textContent("body")).toContain("3 of 3 domains would be blocked. Nothing has changed yet.");
		expect(await fitsThePhone(page)).toBe(true);
		await page.click(`button:text-is("Block 3 domains")`);
		expect(await page.textContent(".flash")).toBe("Imported: 3 domains blocked.");
		for (const domain of ["spam-one.example", "loud-two.example", "pics-three.example"]) {
			expect(await page.locator(`a:text-is("${domain}")`).count()).toBe(1);
		}

		// The dead letter goes back to the delivery queue, and this time reaches the inbox, signed.
		await page.click("nav >> text=Dashboard");
		const row = page.locator("tr", { hasText: `to http://127.0.0.1:${inboxPort}/inbox` });
		await row.locator("button", { hasText: "Replay" }).click();
		expect(await page.textContent(".flash")).toMatch(
			/^Replayed: delivery of http:\/\/localhost:\d+\/users\/alice#test-delivery to http:\/\/127\.0\.0\.1:\d+\/inbox\.$/,
		);
		expect(await page.textContent("body")).toContain("No dead letters.");
		const deadline = Date.now() + 60_000;
		while (inbox.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
		expect(inbox.received[0]?.path).toBe("/inbox");
		expect(inbox.received[0]?.signature).toMatch(/keyId="http:\/\/localhost:\d+\/users\/alice#main-key"/);
		expect(JSON.parse(inbox.received[0]?.body ?? "{}").type).toBe("Update");

		await page.click("nav >> text=Audit log");
		expect(await fitsThePhone(page)).toBe(true);
		const rows = await page.locator("table.log tbody tr").allTextContents();
		const has = (...parts: string[]) => rows.some((text) => parts.every((part) => text.includes(part)));
		expect(has("@mod", "suspend", "spammer@spam.example", "Spam account, seen on three reports elsewhere")).toBe(true);
		expect(has("@mod", "resolve", "Report")).toBe(true);
		for (const domain of ["spam-one.example", "loud-two.example", "pics-three.example"]) {
			expect(has("@root", "create", "DomainBlock", domain)).toBe(true);
		}
		expect(has("@root", "replay", "DeadLetter", `to http://127.0.0.1:${inboxPort}/inbox`)).toBe(true);
		await context.close();
	}, 300_000);
});
