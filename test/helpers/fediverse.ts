import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { serviceContext } from "../../src/context";
import { type Account, accounts } from "../../src/db/schema";
import { dispatchActivity } from "../../src/federation/inbox/dispatch";
import type { OutboxEvent } from "../../src/federation/outbox/events";
import { parseActivity } from "../../src/federation/parse";
import { type SigningKey, signRequest } from "../../src/federation/signatures";
import { generateRsaKeyPair, RSA_ALGORITHM } from "../../src/lib/crypto/key-pairs";
import { newId } from "../../src/lib/ids";
import { takeEvents } from "./outbox";
import { db } from "./users";

let counter = 0;

export interface FakeActor {
	uri: string;
	domain: string;
	document: Record<string, unknown>;
	key: SigningKey;
}

/** A remote actor with a real RSA key pair, as a peer server would publish it. */
export async function fakeActor(options: { domain?: string; alsoKnownAs?: string[] } = {}): Promise<FakeActor> {
	counter++;
	const domain = options.domain ?? `peer${Date.now().toString(36)}${counter}.example`;
	const uri = `https://${domain}/users/bob`;
	const pair = await generateRsaKeyPair();
	const privateKey = await crypto.subtle.importKey("pkcs8", pair.privateKey, RSA_ALGORITHM, false, ["sign"]);
	const document = {
		"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
		id: uri,
		type: "Person",
		preferredUsername: "bob",
		inbox: `${uri}/inbox`,
		outbox: `${uri}/outbox`,
		followers: `${uri}/followers`,
		featured: `${uri}/collections/featured`,
		endpoints: { sharedInbox: `https://${domain}/inbox` },
		alsoKnownAs: options.alsoKnownAs ?? [],
		publicKey: { id: `${uri}#main-key`, owner: uri, publicKeyPem: pair.publicKey },
	};
	return { uri, domain, document, key: { keyId: `${uri}#main-key`, type: "rsa", privateKey } };
}

/** Stores a fake actor as a fresh remote account, so handlers need no fetch to resolve it. */
export async function storeActor(actor: FakeActor): Promise<Account> {
	const now = new Date();
	const [row] = await db()
		.insert(accounts)
		.values({
			id: newId(now),
			username: "bob",
			domain: actor.domain,
			uri: actor.uri,
			inboxUrl: `${actor.uri}/inbox`,
			sharedInboxUrl: `https://${actor.domain}/inbox`,
			followersUrl: `${actor.uri}/followers`,
			featuredUrl: `${actor.uri}/collections/featured`,
			alsoKnownAs: (actor.document.alsoKnownAs as string[]) ?? [],
			fetchedAt: now,
			createdAt: now,
			updatedAt: now,
		})
		.returning();
	return row as Account;
}

export interface Served {
	posts: { url: string; body: string; headers: Headers }[];
}

/** Answers outbound GETs from `documents` (404 otherwise) and records POSTs, answering them with `postStatus`. */
export function serveFediverse(
	documents: Record<string, unknown>,
	postStatus: (url: string) => number = () => 202,
): Served {
	const served: Served = { posts: [] };
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input, init);
		if (request.method === "POST") {
			served.posts.push({ url: request.url, body: await request.text(), headers: request.headers });
			return new Response(null, { status: postStatus(request.url) });
		}
		const document = documents[request.url];
		if (!document) return new Response("not found", { status: 404 });
		return new Response(JSON.stringify(document), { headers: { "Content-Type": "application/activity+json" } });
	});
	return served;
}

/** A signed POST to one of our inboxes, as the peer would send it. */
export async function signedInboxRequest(actor: FakeActor, activity: unknown, path = "/inbox"): Promise<Request> {
	const body = JSON.stringify(activity);
	const url = `${serviceContext(env).config.origin}${path}`;
	const headers = new Headers({ "Content-Type": "application/activity+json" });
	await signRequest({ method: "POST", url, headers, body }, actor.key);
	return new Request(url, { method: "POST", headers, body });
}

/**
 * Runs an activity through the inbox dispatch table, as its processing after
 * the 202 does; returns the outbox events it recorded (left unrelayed).
 */
export async function deliverToInbox(
	activity: Record<string, unknown>,
	recipientAccountId: string | null = null,
): Promise<OutboxEvent[]> {
	const ctx = serviceContext(env);
	await dispatchActivity(ctx, parseActivity(activity), recipientAccountId);
	return takeEvents(ctx.db);
}

export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
