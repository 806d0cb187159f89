// End to end: the streaming API of a real `npm run dev` server, read by
// masto.js's streaming client (what Elk and Phanpy use), a second connection,
// a Server-Sent Events reader, and a page in Chromium that keeps a home
// timeline live the way those apps do.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { createRestAPIClient, createStreamingAPIClient, type mastodon } from "masto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser } from "./browser";
import { type DevServer, ROOT, startDevServer, tern } from "./dev-server";
import { freePorts } from "./free-port";

const run = promisify(execFile);

/** What the issue asks: an event is on the client within a second of the write that caused it. */
const WITHIN_MS = 1000;

type StreamEvent = mastodon.streaming.Event;

/** Collects a masto.js subscription's events in the background. */
class Collector {
	readonly events: StreamEvent[] = [];
	private waiters: (() => void)[] = [];
	constructor(subscription: mastodon.streaming.Subscription) {
		void (async () => {
			try {
				for await (const event of subscription) {
					this.events.push(event);
					for (const wake of this.waiters.splice(0)) wake();
				}
			} catch {
				// closed
			}
		})();
	}
	async next(test: (event: StreamEvent) => boolean, timeoutMs: number): Promise<StreamEvent> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.events.find(test);
			if (found) return found;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms: ${this.events.map((e) => e.event)}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}
}

/** A plain SSE reader on one stream path. */
async function eventSource(url: string, token: string) {
	const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
	expect(response.status).toBe(200);
	const reader = (response.body as ReadableStream<Uint8Array>).getReader();
	const decoder = new TextDecoder();
	const events: { event: string; data: string }[] = [];
	let buffer = "";
	void (async () => {
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) return;
				buffer += decoder.decode(value, { stream: true });
				let end = buffer.indexOf("\n\n");
				while (end >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const event = /^event: (.*)$/m.exec(block)?.[1];
					const data = /^data: (.*)$/m.exec(block)?.[1];
					if (event && data !== undefined) events.push({ event, data });
					end = buffer.indexOf("\n\n");
				}
			}
		} catch {
			// cancelled
		}
	})();
	return { events, cancel: () => reader.cancel() };
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

describe("the streaming API end to end", () => {
	let server: DevServer;
	let pagePort = 0;
	let alice: mastodon.rest.Client;
	let bob: mastodon.rest.Client;
	let carol: mastodon.rest.Client;
	let aliceToken = "";
	let streamingUrl = "";
	let aliceId = "";

	beforeAll(async () => {
		const [apiPort, staticPort] = await freePorts(2);
		pagePort = staticPort as number;
		server = await startDevServer(apiPort as number);
		const tokens: Record<string, string> = {};
		for (const name of ["alice", "bob", "carol"]) {
			const created = await tern(["user", "create", name, "--email", `${name}@e2e.example`, "--state", server.state]);
			expect(created.code, created.stderr).toBe(0);
			const token = await tern(["token", "create", name, "--scopes", "read write follow", "--state", server.state]);
			tokens[name] = token.stdout.trim();
		}
		aliceToken = tokens.alice as string;
		alice = createRestAPIClient({ url: server.url, accessToken: aliceToken });
		bob = createRestAPIClient({ url: server.url, accessToken: tokens.bob as string });
		carol = createRestAPIClient({ url: server.url, accessToken: tokens.carol as string });
		aliceId = (await alice.v1.accounts.verifyCredentials()).id;
		const instance = await alice.v2.instance.fetch();
		streamingUrl = instance.configuration.urls.streaming as string;
		const v1 = await alice.v1.instance.fetch();
		expect(v1.urls.streamingApi).toBe(streamingUrl);
	}, 400_000);

	afterAll(async () => {
		await server?.stop();
	});

	it("delivers update, notification, status.update and delete within a second, to two sockets and SSE, and nothing hidden", async () => {
		expect(streamingUrl).toBe(server.url.replace("http", "ws"));
		const bobAccount = await bob.v1.accounts.verifyCredentials();
		const carolAccount = await carol.v1.accounts.verifyCredentials();
		await alice.v1.accounts.$select(bobAccount.id).follow();
		await alice.v1.accounts.$select(carolAccount.id).block();
		await alice.v2.filters.create({
			title: "no spoilers",
			context: ["home", "public"],
			filterAction: "hide",
			keywordsAttributes: [{ keyword: "spoiler" }],
		});

		const first = createStreamingAPIClient({ streamingApiUrl: streamingUrl, accessToken: aliceToken });
		const second = createStreamingAPIClient({ streamingApiUrl: streamingUrl, accessToken: aliceToken });
		const home = new Collector(first.user.subscribe());
		const local = new Collector(first.public.local.subscribe());
		const other = new Collector(second.user.subscribe());
		const sse = await eventSource(`${server.url}/api/v1/streaming/user`, aliceToken);
		// Subscribing has no answer in the protocol: a post of her own shows alice all are open.
		await waitFor(
			async () => {
				const probe = await alice.v1.statuses.create({ status: "ready?" });
				try {
					await home.next((e) => e.event === "update" && e.payload.id === probe.id, 500);
					await other.next((e) => e.event === "update" && e.payload.id === probe.id, 500);
					await local.next((e) => e.event === "update" && e.payload.id === probe.id, 500);
					return true;
				} catch {
					return undefined;
				}
			},
			30_000,
			"the subscriptions",
		);

		const post = await bob.v1.statuses.create({ status: "Hello from Bob" });
		const update = await home.next((e) => e.event === "update" && e.payload.id === post.id, WITHIN_MS);
		expect(update.stream).toEqual(["user"]);
		await other.next((e) => e.event === "update" && e.payload.id === post.id, WITHIN_MS);
		await waitFor(() => sse.events.find((e) => e.event === "update" && e.data.includes(post.id)), WITHIN_MS, "SSE");

		const mention = await bob.v1.statuses.create({ status: "@alice are you there?" });
		const notification = await home.next(
			(e) => e.event === "notification" && e.payload.status?.id === mention.id,
			WITHIN_MS,
		);
		expect(notification.payload).toMatchObject({ type: "mention", account: { id: bobAccount.id } });
		await other.next((e) => e.event === "notification", WITHIN_MS);
		await waitFor(() => sse.events.find((e) => e.event === "notification"), WITHIN_MS, "SSE notification");

		await bob.v1.statuses.$select(post.id).update({ status: "Hello from Bob, edited" });
		const edited = await home.next((e) => e.event === "status.update" && e.payload.id === post.id, WITHIN_MS);
		expect(edited.payload.content).toContain("edited");
		await other.next((e) => e.event === "status.update", WITHIN_MS);
		await waitFor(() => sse.events.find((e) => e.event === "status.update"), WITHIN_MS, "SSE status.update");

		await bob.v1.statuses.$select(post.id).remove();
		const deleted = await home.next((e) => e.event === "delete" && e.payload === post.id, WITHIN_MS);
		expect(deleted.stream).toEqual(["user"]);
		await other.next((e) => e.event === "delete", WITHIN_MS);
		await waitFor(() => sse.events.find((e) => e.event === "delete" && e.data === post.id), WITHIN_MS, "SSE delete");

		// A blocked account's public post and a hidden word never arrive; a marker after them shows all has come.
		const blocked = await carol.v1.statuses.create({ status: "carol, blocked" });
		const spoiler = await bob.v1.statuses.create({ status: "a spoiler about the end" });
		const marker = await bob.v1.statuses.create({ status: "marker" });
		await home.next((e) => e.event === "update" && e.payload.id === marker.id, WITHIN_MS);
		await local.next((e) => e.event === "update" && e.payload.id === marker.id, WITHIN_MS);
		const seen = [...home.events, ...local.events, ...other.events].flatMap((e) =>
			e.event === "update" ? [e.payload.id] : [],
		);
		expect(seen).not.toContain(blocked.id);
		expect(seen).not.toContain(spoiler.id);
		expect(sse.events.some((e) => e.data.includes(blocked.id) || e.data.includes(spoiler.id))).toBe(false);

		// Closed connections leave nothing behind: the account's subscription rows go with its last one.
		first.close();
		second.close();
		await sse.cancel();
		await waitFor(
			async () => {
				const { stdout } = await run(
					process.execPath,
					[
						join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
						"d1",
						"execute",
						"DB",
						"--local",
						"--persist-to",
						server.state,
						"--json",
						"--command",
						`select count(*) as n from stream_subscriptions where account_id = '${aliceId}'`,
					],
					{ cwd: ROOT, env: { ...process.env, CI: "true" } },
				);
				const n = (JSON.parse(stdout) as { results: { n: number }[] }[])[0]?.results[0]?.n;
				return n === 0 ? true : undefined;
			},
			60_000,
			"the closed connections to be cleaned up",
		);
	});

	it.skipIf(!hasChromium)(
		"shows another account's new post in an open home timeline in Chromium without a reload",
		async () => {
			// The page uses masto.js as Elk and Phanpy do, bundled for the browser, served from its own origin.
			const bundle = await build({
				stdin: { contents: `export { createRestAPIClient, createStreamingAPIClient } from "masto";`, resolveDir: ROOT },
				bundle: true,
				format: "esm",
				platform: "browser",
				write: false,
			});
			const script = bundle.outputFiles[0]?.text ?? "";
			const pageServer: Server = createServer((request, response) => {
				if (request.url === "/masto.js") {
					response.writeHead(200, { "Content-Type": "text/javascript" });
					response.end(script);
					return;
				}
				response.writeHead(200, { "Content-Type": "text/html" });
				response.end(TIMELINE_PAGE);
			});
			await new Promise<void>((resolve) => pageServer.listen(pagePort, "127.0.0.1", resolve));
			const browser: Browser = await launchBrowser();
			try {
				const page = await browser.newPage();
				const errors: string[] = [];
				page.on("pageerror", (error) => errors.push(error.message));
				await page.goto(`http://127.0.0.1:${pagePort}/#${encodeURIComponent(`${server.url}|${aliceToken}`)}`);
				await page.waitForFunction(() => document.body.dataset.streaming === "open", null, { timeout: 30_000 });
				const loads = await page.evaluate(() => Number(document.body.dataset.loads));
				// Wait until the subscription took effect, as seen by a post of alice's own.
				await waitFor(
					async () => {
						const probe = await alice.v1.statuses.create({ status: "browser ready?" });
						try {
							await page.locator(`[data-id="${probe.id}"]`).waitFor({ timeout: 500 });
							return true;
						} catch {
							return undefined;
						}
					},
					30_000,
					"the page's subscription",
				);
				const post = await bob.v1.statuses.create({ status: "Live from Bob" });
				const item = page.locator(`[data-id="${post.id}"]`);
				await item.waitFor({ timeout: WITHIN_MS });
				expect(await item.textContent()).toContain("Live from Bob");
				// The timeline was read once; the post came through the stream, not a reload.
				expect(await page.evaluate(() => Number(document.body.dataset.loads))).toBe(loads);
				expect(errors).toEqual([]);
			} finally {
				await browser.close();
				await new Promise((resolve) => pageServer.close(resolve));
			}
		},
		180_000,
	);
});

/**
 * A home timeline kept live the way Elk and Phanpy do it: read the timeline
 * over REST, find the streaming URL in /api/v2/instance, subscribe to `user`
 * with masto.js (the token travels as the WebSocket subprotocol), prepend
 * each `update`.
 */
const TIMELINE_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Home</title>
<ol id="timeline"></ol>
<script type="module">
import { createRestAPIClient, createStreamingAPIClient } from "/masto.js";
const [url, accessToken] = decodeURIComponent(location.hash.slice(1)).split("|");
const rest = createRestAPIClient({ url, accessToken });
const list = document.getElementById("timeline");
function show(status, atTop) {
	if (list.querySelector('[data-id="' + status.id + '"]')) return;
	const item = document.createElement("li");
	item.dataset.id = status.id;
	item.innerHTML = status.content;
	atTop ? list.prepend(item) : list.append(item);
}
for (const status of await rest.v1.timelines.home.list({ limit: 20 })) show(status, false);
document.body.dataset.loads = "1";
const instance = await rest.v2.instance.fetch();
const streaming = createStreamingAPIClient({ streamingApiUrl: instance.configuration.urls.streaming, accessToken });
await streaming.prepare();
document.body.dataset.streaming = "open";
for await (const event of streaming.user.subscribe()) {
	if (event.event === "update") show(event.payload, true);
}
</script>`;
