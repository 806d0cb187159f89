import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { domainDeliveryStatus, follows, inboxActivities } from "../../src/db/schema";
import { recordDeliveryFailure } from "../../src/federation/delivery/domains";
import { fakeActor, PUBLIC, serveFediverse, signedInboxRequest } from "../helpers/fediverse";
import { fetchSettled } from "../helpers/outbox";
import { createTestUser, db } from "../helpers/users";

/** Sends a request and waits for the processing it leaves for after the 202. */
const send = (request: Request) => fetchSettled(request);
let queued: unknown[];

beforeEach(() => {
	queued = [];
	vi.spyOn(env.INBOX_QUEUE, "send").mockImplementation(async (body) => {
		queued.push(body);
		return undefined as never;
	});
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function storedRows(uri: string) {
	return db().select().from(inboxActivities).where(eq(inboxActivities.uri, uri));
}

function follow(actorUri: string, objectUri: string) {
	return {
		"@context": "https://www.w3.org/ns/activitystreams",
		id: `${actorUri}#follows/${crypto.randomUUID()}`,
		type: "Follow",
		actor: actorUri,
		object: objectUri,
	};
}

describe("POST /inbox and /users/:name/inbox", () => {
	it("verifies the signature, stores the activity once and processes it right after the 202", async () => {
		const peer = await fakeActor();
		const alice = await createTestUser();
		serveFediverse({ [peer.uri]: peer.document });
		const activity = follow(peer.uri, alice.account.uri);
		const first = await send(await signedInboxRequest(peer, activity, `/users/${alice.account.username}/inbox`));
		expect(first.status).toBe(202);
		const rows = await storedRows(activity.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]?.recipientAccountId).toBe(alice.account.id);
		expect(rows[0]?.processedAt).not.toBeNull();
		const [followed] = await db().select().from(follows).where(eq(follows.uri, activity.id));
		expect(followed?.targetAccountId).toBe(alice.account.id);
		// Processed in the request's waitUntil: no queue message.
		expect(queued).toEqual([]);

		const again = await send(await signedInboxRequest(peer, activity));
		expect(again.status).toBe(202);
		expect(await storedRows(activity.id)).toHaveLength(1);
		expect(await db().select().from(follows).where(eq(follows.uri, activity.id))).toHaveLength(1);
		expect(queued).toEqual([]);
	});

	it("accepts RFC 9421 signatures too", async () => {
		const peer = await fakeActor();
		serveFediverse({ [peer.uri]: peer.document });
		const activity = follow(peer.uri, "https://tern.test/users/nobody");
		const body = JSON.stringify(activity);
		const { signRequest } = await import("../../src/federation/signatures");
		const headers = new Headers({ "Content-Type": "application/activity+json" });
		await signRequest({ method: "POST", url: "https://tern.test/inbox", headers, body }, peer.key, "rfc9421");
		const response = await send(new Request("https://tern.test/inbox", { method: "POST", headers, body }));
		expect(response.status).toBe(202);
		expect(await storedRows(activity.id)).toHaveLength(1);
	});

	it("refuses unsigned requests and activities signed by another actor's key", async () => {
		const peer = await fakeActor();
		const other = await fakeActor();
		serveFediverse({ [peer.uri]: peer.document, [other.uri]: other.document });
		const activity = follow(other.uri, "https://tern.test/users/nobody");
		const unsigned = await send(
			new Request("https://tern.test/inbox", {
				method: "POST",
				headers: { "Content-Type": "application/activity+json" },
				body: JSON.stringify(activity),
			}),
		);
		expect(unsigned.status).toBe(401);
		const forged = await send(await signedInboxRequest(peer, activity));
		expect(forged.status).toBe(401);
		expect(await forged.json()).toEqual({ error: expect.stringContaining("actor") });
		expect(await storedRows(activity.id)).toHaveLength(0);
		expect(queued).toHaveLength(0);
	});

	it("refuses oversize and malformed bodies before anything else", async () => {
		const big = await send(
			new Request("https://tern.test/inbox", { method: "POST", body: "x".repeat(1024 * 1024 + 1) }),
		);
		expect(big.status).toBe(413);
		const malformed = await send(new Request("https://tern.test/inbox", { method: "POST", body: "{not json" }));
		expect(malformed.status).toBe(400);
		const noActor = await send(
			new Request("https://tern.test/inbox", {
				method: "POST",
				body: JSON.stringify({ id: "https://x.example/1", type: "Create" }),
			}),
		);
		expect(noActor.status).toBe(400);
		expect(queued).toHaveLength(0);
	});

	it("answers 404 for the inbox of an unknown user", async () => {
		const peer = await fakeActor();
		const response = await send(await signedInboxRequest(peer, follow(peer.uri, "x"), "/users/nobody-here/inbox"));
		expect(response.status).toBe(404);
	});

	it("accepts a Delete of an actor whose key is gone, and does nothing", async () => {
		const peer = await fakeActor();
		serveFediverse({});
		const activity = { id: `${peer.uri}#delete`, type: "Delete", actor: peer.uri, object: peer.uri, to: [PUBLIC] };
		const response = await send(await signedInboxRequest(peer, activity));
		expect(response.status).toBe(202);
		expect(await storedRows(activity.id)).toHaveLength(0);
	});

	it("marks the sender's host available again", async () => {
		const peer = await fakeActor();
		serveFediverse({ [peer.uri]: peer.document });
		await recordDeliveryFailure(db(), peer.domain);
		const response = await send(await signedInboxRequest(peer, follow(peer.uri, "https://tern.test/users/x")));
		expect(response.status).toBe(202);
		expect(await db().select().from(domainDeliveryStatus).where(eq(domainDeliveryStatus.domain, peer.domain))).toEqual(
			[],
		);
	});
});
