// End to end: a real Tern dev server (wrangler dev with local D1, Queues, R2),
// users made with the admin CLI, an OAuth sign-in through the server's own
// pages with PKCE, then the masto.js and megalodon client libraries.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { encode as encodeJpeg } from "jpeg-js";
import { createOAuthAPIClient, createRestAPIClient, type mastodon } from "masto";
import generator, { detector } from "megalodon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./free-port";

const PORT = await freePort();
const ORIGIN = `http://localhost:${PORT}`;
const ROOT = resolve(import.meta.dirname, "../..");
const REDIRECT = "com.example.e2e:/oauth/callback";
const PASSWORD = "e2e password that is long";
// 1x1 opaque PNG.
const PNG = Buffer.from(
	"iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP4z8DAAMFwFgA72AX73hA3ZQAAAABJRU5ErkJggg==",
	"base64",
);

let server: ChildProcess | undefined;
let state = "";
let output = "";

function cli(...args: string[]): string {
	return execFileSync(process.execPath, [join(ROOT, "bin/tern.mjs"), ...args, "--state", state], {
		cwd: ROOT,
		encoding: "utf8",
		stdio: ["ignore", "pipe", "pipe"],
	}).trim();
}

async function waitForServer(deadline: number): Promise<void> {
	while (Date.now() < deadline) {
		try {
			const response = await fetch(`${ORIGIN}/api/v1/instance`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`Tern did not start:\n${output.slice(-4000)}`);
}

/** Cookie jar and form helpers for the server's HTML pages. */
class Browser {
	private cookies = new Map<string, string>();
	private take(response: Response) {
		for (const header of response.headers.getSetCookie()) {
			const pair = header.split(";")[0] ?? "";
			const eq = pair.indexOf("=");
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			if (!value || /Max-Age=0/i.test(header)) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}
	private headers(extra: Record<string, string> = {}) {
		return { ...extra, Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
	}
	async get(path: string) {
		const response = await fetch(new URL(path, ORIGIN), { redirect: "manual", headers: this.headers() });
		this.take(response);
		return response;
	}
	async post(path: string, fields: Record<string, string>) {
		const response = await fetch(new URL(path, ORIGIN), {
			method: "POST",
			redirect: "manual",
			headers: this.headers({ "Content-Type": "application/x-www-form-urlencoded" }),
			body: new URLSearchParams(fields),
		});
		this.take(response);
		return response;
	}
}

function hiddenFields(html: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
		fields[match[1] as string] = (match[2] as string)
			.replace(/&quot;/g, '"')
			.replace(/&#39;/g, "'")
			.replace(/&lt;/g, "<")
			.replace(/&gt;/g, ">")
			.replace(/&amp;/g, "&");
	}
	return fields;
}

interface SignedIn {
	token: string;
	clientId: string;
	clientSecret: string;
}

async function signInWithPkce(email: string, scopes: string): Promise<SignedIn> {
	const oauth = createOAuthAPIClient({ url: ORIGIN });
	const rest = createRestAPIClient({ url: ORIGIN });
	const app = await rest.v1.apps.create({
		clientName: "e2e",
		redirectUris: REDIRECT,
		scopes,
		website: "https://e2e.example",
	});
	expect(app.clientId).toBeTruthy();
	const verifier = randomBytes(48).toString("base64url");
	const challenge = createHash("sha256").update(verifier).digest("base64url");
	const query = new URLSearchParams({
		response_type: "code",
		client_id: app.clientId as string,
		redirect_uri: REDIRECT,
		scope: scopes,
		state: "e2e-state",
		code_challenge: challenge,
		code_challenge_method: "S256",
	});
	const browser = new Browser();
	const signInPage = await browser.get(`/oauth/authorize?${query}`);
	expect(signInPage.status).toBe(200);
	const signIn = hiddenFields(await signInPage.text());
	let signedIn = await browser.post("/auth/sign_in", { ...signIn, email, password: PASSWORD });
	// The password work takes a few requests (each within the Free plan's CPU limit), each a 303 to the next.
	while (signedIn.status === 303 && signedIn.headers.get("location")?.startsWith("/auth/sign_in/continue")) {
		signedIn = await browser.get(signedIn.headers.get("location") as string);
	}
	expect(signedIn.status).toBe(303);
	const consentPage = await browser.get(signedIn.headers.get("location") as string);
	const consentHtml = await consentPage.text();
	expect(consentHtml).toContain("Authorize e2e");
	const approved = await browser.post("/oauth/authorize", { ...hiddenFields(consentHtml), decision: "approve" });
	expect(approved.status).toBe(302);
	const location = new URL(approved.headers.get("location") as string);
	expect(`${location.protocol}${location.pathname}`).toBe(REDIRECT);
	expect(location.searchParams.get("state")).toBe("e2e-state");
	const token = await oauth.token.create({
		grantType: "authorization_code",
		clientId: app.clientId as string,
		clientSecret: app.clientSecret as string,
		redirectUri: REDIRECT,
		code: location.searchParams.get("code") as string,
		codeVerifier: verifier,
		scope: scopes,
	});
	expect(token.tokenType).toBe("Bearer");
	expect(typeof token.createdAt).toBe("number");
	return { token: token.accessToken, clientId: app.clientId as string, clientSecret: app.clientSecret as string };
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
	for (let i = 0; i < 60; i++) {
		const value = await probe();
		if (value !== undefined) return value;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`Timed out waiting for ${what}`);
}

describe("Tern through masto.js and megalodon", () => {
	let alice: mastodon.rest.Client;
	let bob: mastodon.rest.Client;
	let aliceId = "";
	let aliceToken = "";

	beforeAll(async () => {
		state = mkdtempSync(join(tmpdir(), "tern-e2e-"));
		server = spawn(process.execPath, [join(ROOT, "scripts/dev.mjs"), "--port", String(PORT), "--state", state], {
			cwd: ROOT,
			detached: true,
			stdio: ["ignore", "pipe", "pipe"],
		});
		server.stdout?.on("data", (chunk) => {
			output += chunk;
		});
		server.stderr?.on("data", (chunk) => {
			output += chunk;
		});
		// Minutes, not seconds: the dev server shares a loaded 2-core machine with other work.
		await waitForServer(Date.now() + 240_000);
		cli("user", "create", "alice", "--email", "alice@e2e.example", "--password", PASSWORD);
		cli("user", "create", "bob", "--email", "bob@e2e.example", "--password", PASSWORD);
		const scopes = "read write follow";
		aliceToken = (await signInWithPkce("alice@e2e.example", scopes)).token;
		alice = createRestAPIClient({ url: ORIGIN, accessToken: aliceToken });
		bob = createRestAPIClient({ url: ORIGIN, accessToken: (await signInWithPkce("bob@e2e.example", scopes)).token });
	});

	afterAll(async () => {
		// The dev script and its wrangler child run in their own process group, started above.
		if (server?.pid) {
			try {
				process.kill(-server.pid, "SIGTERM");
			} catch {
				// already gone
			}
			await new Promise((r) => setTimeout(r, 1000));
		}
		if (state) rmSync(state, { recursive: true, force: true });
	});

	it("verifies credentials and reads the instance", async () => {
		const me = await alice.v1.accounts.verifyCredentials();
		expect(me.username).toBe("alice");
		aliceId = me.id;
		const instance = await alice.v2.instance.fetch();
		expect(instance.domain).toBe(`localhost:${PORT}`);
		expect(instance.configuration.statuses.maxCharacters).toBe(500);
		const updated = await alice.v1.accounts.updateCredentials({ displayName: "Alice E2E", note: "Hello" });
		expect(updated.displayName).toBe("Alice E2E");
	});

	it("posts with an image and with a poll, reads the home timeline across pages", async () => {
		const media = await alice.v2.media.create({
			file: new Blob([PNG], { type: "image/png" }),
			description: "A tiny image",
		});
		expect(media.url).toMatch(new RegExp(`^http://localhost:${PORT}/media/`));
		expect(media.meta?.original?.width).toBe(3);
		const withImage = await alice.v1.statuses.create({ status: "A picture", mediaIds: [media.id] });
		expect(withImage.mediaAttachments[0]?.id).toBe(media.id);
		const image = await fetch(withImage.mediaAttachments[0]?.url as string);
		expect(image.headers.get("content-type")).toBe("image/png");

		const withPoll = await alice.v1.statuses.create({
			status: "Which bird?",
			poll: { options: ["Tern", "Gull"], expiresIn: 3600 },
		});
		expect(withPoll.poll?.options.map((o) => o.title)).toEqual(["Tern", "Gull"]);
		for (let i = 0; i < 4; i++) await alice.v1.statuses.create({ status: `Note ${i}` });

		const seen: string[] = [];
		await eventually(async () => {
			const first = await alice.v1.timelines.home.list({ limit: 2 });
			return first.length === 2 ? first : undefined;
		}, "the home timeline");
		for await (const page of alice.v1.timelines.home.list({ limit: 2 })) {
			seen.push(...page.map((s) => s.id));
			if (seen.length >= 6) break;
		}
		expect(seen.length).toBeGreaterThanOrEqual(6);
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen).toContain(withImage.id);
		expect(seen).toContain(withPoll.id);
		const raw = await fetch(`${ORIGIN}/api/v1/timelines/home?limit=2`, {
			headers: { Authorization: `Bearer ${aliceToken}` },
		});
		expect(raw.headers.get("link")).toMatch(/<[^>]+max_id=\d+[^>]*>; rel="next"/);
	});

	it("waits, as masto.js does, for a large upload processed in the background", async () => {
		// 1000×600 is over the size processed in the request, so v2 answers 202 and the jobs queue finishes it.
		const width = 1000;
		const height = 600;
		const rgba = new Uint8Array(width * height * 4);
		for (let i = 0; i < rgba.length; i += 4) rgba.set([(i / 4) % 251, (i / 4 / width) % 241, 90, 255], i);
		const jpeg = encodeJpeg({ width, height, data: rgba }, 85).data;
		const media = await alice.v2.media.create({ file: new Blob([jpeg], { type: "image/jpeg" }) });
		expect(media.url).toMatch(/\/original\.jpg$/);
		expect(media.blurhash).toHaveLength(36);
		expect(media.meta?.original?.width).toBe(width);
		const post = await alice.v1.statuses.create({ status: "A bigger picture", mediaIds: [media.id] });
		expect(post.mediaAttachments[0]?.blurhash).toBe(media.blurhash);
	});

	it("favourites, boosts, bookmarks and replies; reads the context", async () => {
		const post = await alice.v1.statuses.create({ status: "Talk to me", visibility: "public" });
		const favourited = await bob.v1.statuses.$select(post.id).favourite();
		expect(favourited.favourited).toBe(true);
		const boosted = await bob.v1.statuses.$select(post.id).reblog();
		expect(boosted.reblog?.id).toBe(post.id);
		const bookmarked = await bob.v1.statuses.$select(post.id).bookmark();
		expect(bookmarked.bookmarked).toBe(true);
		const reply = await bob.v1.statuses.create({ status: "@alice hello", inReplyToId: post.id });
		expect(reply.inReplyToId).toBe(post.id);
		const context = await alice.v1.statuses.$select(post.id).context.fetch();
		expect(context.descendants.map((s) => s.id)).toContain(reply.id);
	});

	it("shows the favourite, boost and mention as notifications", async () => {
		const post = await alice.v1.statuses.create({ status: "Notify me" });
		await bob.v1.statuses.$select(post.id).favourite();
		await bob.v1.statuses.$select(post.id).reblog();
		await bob.v1.statuses.create({ status: "@alice hi", inReplyToId: post.id });
		const notifications = await eventually(async () => {
			const list = await alice.v1.notifications.list({ limit: 40 });
			const types = new Set(
				list.filter((n) => n.status?.id === post.id || n.status?.inReplyToId === post.id).map((n) => n.type),
			);
			return types.has("favourite") && types.has("reblog") && types.has("mention") ? list : undefined;
		}, "notifications");
		expect(notifications.every((n) => n.account.id !== aliceId)).toBe(true);
	});

	it("works as a Mastodon server for megalodon's client", async () => {
		const client = generator("mastodon", ORIGIN, aliceToken);
		const me = await client.verifyAccountCredentials();
		expect(me.data.username).toBe("alice");
		const instance = await client.getInstance();
		expect(instance.data.uri).toBe(`localhost:${PORT}`);
		const avatar = await alice.v1.accounts.updateCredentials({ avatar: new Blob([PNG], { type: "image/png" }) });
		expect(avatar.avatar).toMatch(/\/media\/avatars\//);
	});

	it("is recognised as Mastodon by megalodon's detector", async () => {
		expect(await detector(ORIGIN)).toBe("mastodon");
	});

	it("revokes the token: the client is then refused", async () => {
		const signedIn = await signInWithPkce("alice@e2e.example", "read");
		const client = createRestAPIClient({ url: ORIGIN, accessToken: signedIn.token });
		await client.v1.accounts.verifyCredentials();
		await createOAuthAPIClient({ url: ORIGIN }).revoke({
			clientId: signedIn.clientId,
			clientSecret: signedIn.clientSecret,
			token: signedIn.token,
		});
		await expect(client.v1.accounts.verifyCredentials()).rejects.toMatchObject({ statusCode: 401 });
	});
});
