import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../../src/context";
import { accounts, remotePublicKeys } from "../../src/db/schema";
import {
	resolveAccountByAcct,
	resolveActorByUri,
	signerIsActor,
	verifyRequestSignature,
} from "../../src/federation/actors";
import { SignatureError, type SigningKey, signRequest } from "../../src/federation/signatures";
import { generateRsaKeyPair, RSA_ALGORITHM } from "../../src/lib/crypto/key-pairs";
import gargron from "../fixtures/activitypub/mastodon__actor__person-gargron.json";
import mitra from "../fixtures/activitypub/mitra__actor__person-multikey.json";

const ctx = () => serviceContext(env);

afterEach(() => {
	vi.restoreAllMocks();
});

function serve(documents: Record<string, unknown>) {
	return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const url = new Request(input, init).url;
		const document = documents[url];
		if (!document) return new Response("not found", { status: 404 });
		const type = url.includes("/.well-known/webfinger") ? "application/jrd+json" : "application/activity+json";
		return new Response(JSON.stringify(document), { headers: { "Content-Type": type } });
	});
}

let counter = 0;
async function remoteActor() {
	counter++;
	const uri = `https://remote${counter}.example/users/alice`;
	const pair = await generateRsaKeyPair();
	const privateKey = await crypto.subtle.importKey("pkcs8", pair.privateKey, RSA_ALGORITHM, false, ["sign"]);
	const document = {
		...gargron,
		id: uri,
		preferredUsername: "alice",
		inbox: `${uri}/inbox`,
		publicKey: { id: `${uri}#main-key`, owner: uri, publicKeyPem: pair.publicKey },
	};
	const key: SigningKey = { keyId: `${uri}#main-key`, type: "rsa", privateKey };
	return { uri, document, key };
}

async function signedPost(key: SigningKey, body: string) {
	const request = { method: "POST", url: `${ctx().config.origin}/inbox`, headers: new Headers(), body };
	await signRequest(request, key);
	return request;
}

describe("resolveActorByUri", () => {
	it("fetches, stores the account with its keys, then serves it from D1", async () => {
		const spy = serve({ "https://mastodon.social/users/Gargron": gargron });
		const account = await resolveActorByUri(ctx(), "https://mastodon.social/users/Gargron");
		expect(account).toMatchObject({
			username: "Gargron",
			domain: "mastodon.social",
			inboxUrl: "https://mastodon.social/users/Gargron/inbox",
			sharedInboxUrl: "https://mastodon.social/inbox",
			featuredUrl: "https://mastodon.social/users/Gargron/collections/featured",
			actorType: "Person",
			discoverable: true,
		});
		// Sanitized, not flattened: links stay, with the rel Mastodon puts on remote links.
		expect(account.noteHtml).toMatch(/^<p>/);
		expect(account.noteHtml).not.toMatch(/<script|on\w+=/i);
		expect(account.noteHtml).toContain(
			'<a class="u-url mention" href="https://mastodon.social/@Mastodon" rel="nofollow noopener noreferrer" target="_blank">',
		);
		expect(account.fields).toHaveLength(2);
		const keys = await ctx().db.select().from(remotePublicKeys).where(eq(remotePublicKeys.accountId, account.id));
		expect(keys.map((k) => k.keyId)).toEqual(["https://mastodon.social/users/Gargron#main-key"]);
		expect(spy).toHaveBeenCalledTimes(1);
		await resolveActorByUri(ctx(), "https://mastodon.social/users/Gargron");
		expect(spy).toHaveBeenCalledTimes(1);
	});

	it("refreshes an account older than a day", async () => {
		serve({ "https://mastodon.social/users/Gargron": gargron });
		const account = await resolveActorByUri(ctx(), "https://mastodon.social/users/Gargron");
		await ctx()
			.db.update(accounts)
			.set({ fetchedAt: new Date(Date.now() - 2 * 24 * 3600 * 1000), displayName: "old" })
			.where(eq(accounts.id, account.id));
		const spy = serve({ "https://mastodon.social/users/Gargron": { ...gargron, name: "Eugen" } });
		const refreshed = await resolveActorByUri(ctx(), "https://mastodon.social/users/Gargron");
		expect(spy).toHaveBeenCalledTimes(1);
		expect(refreshed.id).toBe(account.id);
		expect(refreshed.displayName).toBe("Eugen");
	});

	it("stores Multikey Ed25519 keys beside RSA", async () => {
		serve({ "https://wizard.casa/users/hongminhee": mitra });
		const account = await resolveActorByUri(ctx(), "https://wizard.casa/users/hongminhee");
		const keys = await ctx().db.select().from(remotePublicKeys).where(eq(remotePublicKeys.accountId, account.id));
		expect(keys.map((k) => k.type).sort()).toEqual(["ed25519", "rsa"]);
	});

	it("throws for an unreachable unknown actor", async () => {
		serve({});
		await expect(resolveActorByUri(ctx(), "https://nowhere.example/users/x")).rejects.toThrow(/Could not resolve/);
	});
});

describe("resolveAccountByAcct", () => {
	it("follows WebFinger to the actor", async () => {
		const { uri, document } = await remoteActor();
		const host = new URL(uri).host;
		serve({
			[`https://${host}/.well-known/webfinger?resource=acct%3Aalice%40${host}`]: {
				subject: `acct:alice@${host}`,
				links: [{ rel: "self", type: "application/activity+json", href: uri }],
			},
			[uri]: document,
		});
		const account = await resolveAccountByAcct(ctx(), `@alice@${host}`);
		expect(account?.uri).toBe(uri);
		expect(account?.domain).toBe(host);
	});

	it("accepts a split domain only when the actor's host vouches for it", async () => {
		const { uri, document } = await remoteActor();
		const host = new URL(uri).host;
		const wf = (domain: string) => `https://${domain}/.well-known/webfinger?resource=acct%3Aalice%40${domain}`;
		const jrd = (domain: string) => ({
			subject: `acct:alice@${domain}`,
			links: [{ rel: "self", type: "application/activity+json", href: uri }],
		});
		serve({ [wf("claims.example")]: jrd("claims.example"), [uri]: document });
		expect(await resolveAccountByAcct(ctx(), "alice@claims.example")).toBeNull();
		serve({ [wf("brand.example")]: jrd("brand.example"), [wf(host)]: jrd("brand.example"), [uri]: document });
		const account = await resolveAccountByAcct(ctx(), "alice@brand.example");
		expect(account?.uri).toBe(uri);
		expect(account?.domain).toBe("brand.example");
	});

	it("returns null when WebFinger fails, and local accounts without fetching", async () => {
		const spy = serve({});
		expect(await resolveAccountByAcct(ctx(), "ghost@void.example")).toBeNull();
		expect(await resolveAccountByAcct(ctx(), "not an acct")).toBeNull();
		expect(await resolveAccountByAcct(ctx(), `nobody@${ctx().config.domain}`)).toBeNull();
		expect(spy).toHaveBeenCalledTimes(1);
	});
});

describe("verifyRequestSignature", () => {
	let actor: Awaited<ReturnType<typeof remoteActor>>;
	beforeAll(async () => {
		actor = await remoteActor();
	});

	it("fetches the unknown key's owner and verifies", async () => {
		serve({ [actor.uri]: actor.document });
		const body = JSON.stringify({ type: "Follow", actor: actor.uri });
		const signer = await verifyRequestSignature(ctx(), await signedPost(actor.key, body));
		expect(signer.account.uri).toBe(actor.uri);
		expect(signer.spec).toBe("cavage");
		expect(signerIsActor(signer, actor.uri)).toBe(true);
		expect(signerIsActor(signer, "https://other.example/users/bob")).toBe(false);
	});

	it("rejects a forged signature and a tampered body", async () => {
		serve({ [actor.uri]: actor.document });
		const impostor = await remoteActor();
		const forged = await signedPost({ ...impostor.key, keyId: actor.key.keyId }, "{}");
		await expect(verifyRequestSignature(ctx(), forged)).rejects.toBeInstanceOf(SignatureError);
		const tampered = await signedPost(actor.key, '{"a":1}');
		tampered.body = '{"a":2}';
		await expect(verifyRequestSignature(ctx(), tampered)).rejects.toThrow(/Digest/);
	});

	it("refetches the actor once when a stale key fails (rotation)", async () => {
		const rotated = await remoteActor();
		serve({ [actor.uri]: actor.document });
		await verifyRequestSignature(ctx(), await signedPost(actor.key, "{}"));
		await ctx()
			.db.update(remotePublicKeys)
			.set({ fetchedAt: new Date(Date.now() - 3600 * 1000) })
			.where(eq(remotePublicKeys.keyId, actor.key.keyId));
		const newDocument = {
			...actor.document,
			publicKey: { ...rotated.document.publicKey, id: actor.key.keyId, owner: actor.uri },
		};
		const spy = serve({ [actor.uri]: newDocument });
		const newKey = { ...rotated.key, keyId: actor.key.keyId };
		const signer = await verifyRequestSignature(ctx(), await signedPost(newKey, "{}"));
		expect(signer.account.uri).toBe(actor.uri);
		expect(spy).toHaveBeenCalledTimes(1);
	});

	it("rejects when no actor vouches for the key", async () => {
		serve({});
		const stranger = await remoteActor();
		await expect(verifyRequestSignature(ctx(), await signedPost(stranger.key, "{}"))).rejects.toThrow(/key/);
	});
});
