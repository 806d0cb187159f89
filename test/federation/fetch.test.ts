import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../../src/context";
import { accountKeys, signatureSpecPreferences } from "../../src/db/schema";
import { FetchError, fetchActivityPubDocument, outboundFetch } from "../../src/federation/fetch";
import { ensureInstanceActor } from "../../src/federation/instance-actor";
import { checkSignature, importVerificationKey } from "../../src/federation/signatures";
import { ensureAccountKeys } from "../../src/services/accounts/keys";

const ctx = () => serviceContext(env);
let instancePem = "";

beforeAll(async () => {
	const actor = await ensureInstanceActor(ctx());
	await ensureAccountKeys(ctx().db, env.KEY_ENCRYPTION_SECRET, actor.id);
	const [keys] = await ctx().db.select().from(accountKeys).where(eq(accountKeys.accountId, actor.id));
	instancePem = keys?.rsaPublicKeyPem ?? "";
});

afterEach(() => {
	vi.restoreAllMocks();
});

function jsonResponse(body: unknown, init: ResponseInit = {}) {
	return new Response(JSON.stringify(body), {
		status: 200,
		...init,
		headers: { "Content-Type": "application/activity+json", ...(init.headers as Record<string, string>) },
	});
}

function mockFetch(handler: (request: Request) => Response | Promise<Response>) {
	return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => handler(new Request(input, init)));
}

async function expectFetchError(promise: Promise<unknown>, code: string) {
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(FetchError);
	expect((error as FetchError).code).toBe(code);
}

describe("outboundFetch guard", () => {
	it("refuses private addresses without sending anything", async () => {
		const spy = mockFetch(() => jsonResponse({}));
		for (const url of [
			"http://127.0.0.1/x",
			"http://[::1]/",
			"http://localhost:8811/",
			"http://10.0.0.5/",
			"gopher://a.example/",
		]) {
			await expectFetchError(outboundFetch(ctx(), url, { signAs: false }), "refused");
		}
		expect(spy).not.toHaveBeenCalled();
	});

	it("refuses a redirect to a private address", async () => {
		const spy = mockFetch(
			() => new Response(null, { status: 302, headers: { Location: "http://169.254.169.254/meta" } }),
		);
		await expectFetchError(outboundFetch(ctx(), "https://remote.example/a", { signAs: false }), "refused");
		expect(spy).toHaveBeenCalledTimes(1);
	});

	it("follows redirects up to the cap", async () => {
		let n = 0;
		mockFetch((request) => {
			n++;
			if (request.url.endsWith("/final")) return jsonResponse({ ok: true });
			return new Response(null, { status: 301, headers: { Location: `/hop${n}` } });
		});
		await expectFetchError(
			outboundFetch(ctx(), "https://remote.example/start", { signAs: false, maxRedirects: 2 }),
			"too_many_redirects",
		);
		mockFetch((request) =>
			request.url.endsWith("/final")
				? jsonResponse({ ok: true })
				: new Response(null, { status: 302, headers: { Location: "/final" } }),
		);
		const response = await outboundFetch(ctx(), "https://remote.example/start", { signAs: false });
		expect(response.url).toBe("https://remote.example/final");
		expect(response.status).toBe(200);
	});

	it("re-sends a POST only on 307/308, and never turns it into a GET", async () => {
		const seen: string[] = [];
		mockFetch((request) => {
			seen.push(`${request.method} ${request.url}`);
			if (request.url.endsWith("/old")) return new Response(null, { status: 308, headers: { Location: "/new" } });
			if (request.url.endsWith("/moved")) return new Response(null, { status: 302, headers: { Location: "/new" } });
			return new Response(null, { status: 202 });
		});
		const kept = await outboundFetch(ctx(), "https://remote.example/old", {
			method: "POST",
			body: "{}",
			signAs: false,
		});
		expect(kept.status).toBe(202);
		expect(seen).toEqual(["POST https://remote.example/old", "POST https://remote.example/new"]);
		const refused = await outboundFetch(ctx(), "https://remote.example/moved", {
			method: "POST",
			body: "{}",
			signAs: false,
		});
		expect(refused.status).toBe(302);
	});

	it("stops reading an oversized body, declared or streamed", async () => {
		mockFetch(() => new Response("x".repeat(2000), { headers: { "Content-Length": "2000" } }));
		await expectFetchError(
			outboundFetch(ctx(), "https://remote.example/big", { signAs: false, maxBytes: 1000 }),
			"too_large",
		);
		mockFetch(() => {
			const stream = new ReadableStream({
				pull(controller) {
					controller.enqueue(new Uint8Array(600));
				},
			});
			return new Response(stream);
		});
		await expectFetchError(
			outboundFetch(ctx(), "https://remote.example/stream", { signAs: false, maxBytes: 1000 }),
			"too_large",
		);
	});

	it("times out", async () => {
		vi.spyOn(globalThis, "fetch").mockImplementation(
			(_input, init) =>
				new Promise((_resolve, reject) => {
					init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
				}),
		);
		await expectFetchError(outboundFetch(ctx(), "https://slow.example/", { signAs: false, timeoutMs: 50 }), "timeout");
	});
});

describe("signed fetches", () => {
	it("signs with the instance actor by default", async () => {
		let seen: Request | undefined;
		mockFetch((request) => {
			seen = request;
			return jsonResponse({ id: "https://remote.example/users/a" });
		});
		await outboundFetch(ctx(), "https://remote.example/users/a");
		expect(seen).toBeDefined();
		const request = seen as Request;
		const check = await checkSignature({ method: "GET", url: request.url, headers: request.headers });
		expect(check.keyId).toBe(`${ctx().config.origin}/actor#main-key`);
		expect(await check.verify(await importVerificationKey(check.keyId, instancePem))).toBe(true);
		expect(request.headers.get("user-agent")).toContain("Tern");
	});

	it("signs POST bodies with a digest", async () => {
		let seen: Request | undefined;
		let body = "";
		mockFetch(async (request) => {
			seen = request;
			body = await request.text();
			return new Response(null, { status: 202 });
		});
		const payload = JSON.stringify({ type: "Like" });
		const response = await outboundFetch(ctx(), "https://remote.example/inbox", { method: "POST", body: payload });
		expect(response.status).toBe(202);
		const request = seen as Request;
		expect(body).toBe(payload);
		const check = await checkSignature({ method: "POST", url: request.url, headers: request.headers, body });
		expect(await check.verify(await importVerificationKey(check.keyId, instancePem))).toBe(true);
	});

	it("double-knocks on 401 and remembers the scheme per host", async () => {
		const schemes: string[] = [];
		mockFetch((request) => {
			const rfc = request.headers.has("signature-input");
			schemes.push(rfc ? "rfc9421" : "cavage");
			return rfc ? jsonResponse({}) : new Response("unauthorized", { status: 401 });
		});
		const response = await outboundFetch(ctx(), "https://knock.example/users/a");
		expect(response.status).toBe(200);
		expect(schemes).toEqual(["cavage", "rfc9421"]);
		const [pref] = await ctx()
			.db.select()
			.from(signatureSpecPreferences)
			.where(eq(signatureSpecPreferences.host, "knock.example"));
		expect(pref?.spec).toBe("rfc9421");
		schemes.length = 0;
		await outboundFetch(ctx(), "https://knock.example/users/b");
		expect(schemes).toEqual(["rfc9421"]);
	});
});

describe("fetchActivityPubDocument", () => {
	it("returns a document whose id is the URL", async () => {
		const spy = mockFetch(() => jsonResponse({ id: "https://remote.example/notes/1", type: "Note" }));
		const { document } = await fetchActivityPubDocument(ctx(), "https://remote.example/notes/1", { signAs: false });
		expect(document.type).toBe("Note");
		const sent = new Request(spy.mock.calls[0]?.[0] as string, spy.mock.calls[0]?.[1]);
		expect(sent.headers.get("accept")).toContain("application/activity+json");
	});

	it("accepts ld+json with a profile", async () => {
		mockFetch(
			() =>
				new Response(JSON.stringify({ id: "https://remote.example/x" }), {
					headers: { "Content-Type": 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' },
				}),
		);
		await expect(fetchActivityPubDocument(ctx(), "https://remote.example/x", { signAs: false })).resolves.toBeTruthy();
	});

	it("refuses an id on another origin", async () => {
		mockFetch(() => jsonResponse({ id: "https://evil.example/users/a" }));
		await expectFetchError(
			fetchActivityPubDocument(ctx(), "https://remote.example/users/a", { signAs: false }),
			"invalid_document",
		);
	});

	it("refuses HTML and non-2xx", async () => {
		mockFetch(() => new Response("<html></html>", { headers: { "Content-Type": "text/html" } }));
		await expectFetchError(
			fetchActivityPubDocument(ctx(), "https://remote.example/a", { signAs: false }),
			"invalid_document",
		);
		mockFetch(() => new Response("gone", { status: 410 }));
		const error = await fetchActivityPubDocument(ctx(), "https://remote.example/a", { signAs: false }).catch((e) => e);
		expect(error).toBeInstanceOf(FetchError);
		expect(error.status).toBe(410);
	});
});
