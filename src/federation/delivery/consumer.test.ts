import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createRemoteAccount, insertFollow } from "../../../test/helpers/remote";
import { postStatus } from "../../../test/helpers/statuses";
import { createTestUser, db, type TestUser } from "../../../test/helpers/users";
import { serviceContext } from "../../context";
import { blocks, favourites, followRequests, follows, outboxActivities, outboxEvents, statuses } from "../../db/schema";
import { newId } from "../../lib/ids";
import { handleQueue } from "../../queues/consumer";
import { QUEUE_NAMES } from "../../queues/messages";
import { ensureAccountKeys } from "../../services/accounts/keys";
import { type OutboxEvent, publishOutboxEvent, takePublishedEvents } from "../outbox/events";
import { relayEvent } from "../outbox/relay";
import { ATTEMPTS_PER_MESSAGE } from "./consumer";
import type { DeliverMessage } from "./messages";
import { DELIVERIES_PER_RUN } from "./run";

let alice: TestUser;
let queued: DeliverMessage[];

beforeAll(async () => {
	alice = await createTestUser();
	await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, alice.account.id);
});

beforeEach(() => {
	queued = [];
	vi.spyOn(env.JOBS_QUEUE, "send").mockResolvedValue(undefined as never);
	vi.spyOn(env.DELIVERY_QUEUE, "sendBatch").mockImplementation(async (messages) => {
		queued.push(...[...messages].map((m) => m.body as DeliverMessage));
		return undefined as never;
	});
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function runDeliveryBatch(bodies: unknown[], attempts = 1) {
	const batch = createMessageBatch(
		QUEUE_NAMES.delivery,
		bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
	);
	const ctx = createExecutionContext();
	await handleQueue(batch, env, ctx);
	return getQueueResult(batch, ctx);
}

async function storedDelivery(inboxes: string[]): Promise<string> {
	const id = newId();
	await db()
		.insert(outboxActivities)
		.values({
			id,
			uri: `${alice.account.uri}#test/${id}`,
			accountId: alice.account.id,
			type: "Create",
			body: { id: `${alice.account.uri}#test/${id}`, type: "Create", actor: alice.account.uri },
			inboxes: inboxes.map((inbox) => ({ inbox, attempts: 0 })),
			nextAt: Date.now(),
			createdAt: new Date(),
		});
	return id;
}

/** Records an event as a service would and relays it: the deliveries it stored, with their inboxes and bodies. */
async function relayed(event: OutboxEvent) {
	const handle = db();
	await publishOutboxEvent(handle, event);
	const [id] = takePublishedEvents(handle);
	const stored = await relayEvent(serviceContext(env, handle), id as string);
	if (stored.length === 0) return [];
	const rows = await db()
		.select()
		.from(outboxActivities)
		.where(
			inArray(
				outboxActivities.id,
				stored.map((d) => d.id),
			),
		)
		.orderBy(outboxActivities.id);
	return rows.map((row) => ({ inboxes: row.inboxes.map((i) => i.inbox), body: row.body }));
}

describe("deliver messages", () => {
	it("go on at once while inboxes are due, with a delay for backoff, and are acked when nothing is owed", async () => {
		const stamp = newId();
		const fetched: string[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const request = new Request(input, init);
			fetched.push(request.url);
			return new Response(null, { status: new URL(request.url).host.startsWith("down") ? 503 : 202 });
		});
		const many = Array.from({ length: DELIVERIES_PER_RUN + 2 }, (_, i) => `https://ok${i}-${stamp}.example/inbox`);
		const busy = await storedDelivery(many);
		const failing = await storedDelivery([`https://down-${stamp}.example/inbox`]);
		const done = await storedDelivery([`https://ok-${stamp}.example/inbox`]);
		const result = await runDeliveryBatch([
			{ type: "deliver", deliveryId: busy },
			{ type: "deliver", deliveryId: failing },
			{ type: "deliver", deliveryId: done },
			{ type: "deliver", deliveryId: "no-such-delivery" },
		]);
		expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["m0", "m1"]);
		expect(result.explicitAcks.sort()).toEqual(["m2", "m3"]);
		expect(fetched).toHaveLength(DELIVERIES_PER_RUN + 2);
		// The signed POSTs carried the stored activity.
		const again = await runDeliveryBatch([{ type: "deliver", deliveryId: busy }], 2);
		expect(again.explicitAcks).toEqual(["m0"]);
		expect(fetched).toHaveLength(DELIVERIES_PER_RUN + 4);
	});

	it("are replaced by a fresh message before Queues' retry limit", async () => {
		const id = await storedDelivery([`https://down-${newId()}.example/inbox`]);
		vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 503 }));
		const result = await runDeliveryBatch([{ type: "deliver", deliveryId: id }], ATTEMPTS_PER_MESSAGE);
		expect(result.explicitAcks).toEqual(["m0"]);
		expect(queued).toEqual([{ type: "deliver", deliveryId: id }]);
	});

	it("sent before this format are still delivered", async () => {
		const posts: string[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			posts.push(new Request(input, init).url);
			return new Response(null, { status: 202 });
		});
		const id = await storedDelivery([]);
		const inbox = `https://legacy-${newId()}.example/inbox`;
		const result = await runDeliveryBatch([{ type: "deliver", activityId: id, inbox }]);
		expect(result.explicitAcks).toEqual(["m0"]);
		expect(posts).toEqual([inbox]);
	});
});

describe("outbox events", () => {
	it("a post goes once to each shared inbox of the author's remote followers and to mentioned accounts", async () => {
		const author = await createTestUser();
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, author.account.id);
		const a1 = await createRemoteAccount();
		const a2 = await createRemoteAccount({ domain: a1.domain ?? "" });
		const b = await createRemoteAccount({ sharedInbox: false });
		for (const follower of [a1, a2, b]) await insertFollow(follower.id, author.account.id);
		const post = await postStatus(author, { status: "hello fediverse" });
		const [delivery, ...more] = await relayed({ type: "status.created", statusId: post.id });
		expect(more).toEqual([]);
		expect(delivery?.inboxes.sort()).toEqual([a1.sharedInboxUrl, b.inboxUrl].sort());
		expect(delivery?.body).toMatchObject({ type: "Create", actor: author.account.uri, object: { id: post.uri } });
	});

	it("a favourite of a remote post becomes a Like to its author; an Accept goes to the follower's own inbox", async () => {
		const remote = await createRemoteAccount();
		const now = new Date();
		const statusId = newId();
		await db()
			.insert(statuses)
			.values({
				id: statusId,
				uri: `https://${remote.domain}/notes/${statusId}`,
				accountId: remote.id,
				local: false,
				visibility: "public",
				createdAt: now,
			});
		const favouriteId = newId();
		await db()
			.insert(favourites)
			.values({
				id: favouriteId,
				accountId: alice.account.id,
				statusId,
				uri: `${alice.account.uri}#likes/${favouriteId}`,
				createdAt: now,
			});
		const followId = newId();
		await db()
			.insert(follows)
			.values({
				id: followId,
				accountId: remote.id,
				targetAccountId: alice.account.id,
				uri: `${remote.uri}#follows/1`,
				createdAt: now,
			});
		const [like] = await relayed({ type: "favourite.created", favouriteId });
		const [accept] = await relayed({ type: "follow.accepted", followId });
		expect([like?.inboxes, accept?.inboxes]).toEqual([[remote.sharedInboxUrl], [remote.inboxUrl]]);
		expect(like?.body).toMatchObject({ type: "Like", object: `https://${remote.domain}/notes/${statusId}` });
		expect(accept?.body).toMatchObject({
			type: "Accept",
			actor: alice.account.uri,
			object: { id: `${remote.uri}#follows/1`, type: "Follow" },
		});
	});

	it("events about remote actors deliver nothing", async () => {
		const remote = await createRemoteAccount();
		const follower = await createRemoteAccount();
		await insertFollow(follower.id, remote.id);
		const statusId = newId();
		await db()
			.insert(statuses)
			.values({
				id: statusId,
				uri: `https://${remote.domain}/notes/${statusId}`,
				accountId: remote.id,
				local: false,
				visibility: "public",
				createdAt: new Date(),
			});
		expect(await relayed({ type: "status.created", statusId })).toEqual([]);
	});

	it("deletes, profile updates, blocks and follow requests become Delete, Update, Block and Follow", async () => {
		const author = await createTestUser();
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, author.account.id);
		const remote = await createRemoteAccount();
		await insertFollow(remote.id, author.account.id);
		const post = await postStatus(author, { status: "to be deleted" });
		const now = new Date();
		const blockId = newId();
		await db()
			.insert(blocks)
			.values({
				id: blockId,
				accountId: author.account.id,
				targetAccountId: remote.id,
				uri: `https://tern.test/blocks/${blockId}`,
				createdAt: now,
			});
		const requestId = newId();
		await db()
			.insert(followRequests)
			.values({
				id: requestId,
				accountId: author.account.id,
				targetAccountId: remote.id,
				uri: `https://tern.test/follows/${requestId}`,
				createdAt: now,
			});
		const events: OutboxEvent[] = [
			{ type: "status.deleted", statusId: post.id, accountId: author.account.id, uri: String(post.uri) },
			{ type: "account.updated", accountId: author.account.id },
			{ type: "block.created", blockId },
			{ type: "follow.requested", followRequestId: requestId },
		];
		const deliveries = [];
		for (const event of events) deliveries.push(...(await relayed(event)));
		expect(deliveries.map((d) => d.inboxes)).toEqual([
			[remote.sharedInboxUrl],
			[remote.sharedInboxUrl],
			[remote.inboxUrl],
			[remote.inboxUrl],
		]);
		const bodies = deliveries.map((d) => d.body);
		expect(bodies[0]).toMatchObject({ type: "Delete", object: { type: "Tombstone", id: post.uri } });
		expect(bodies[1]).toMatchObject({ type: "Update", object: { id: author.account.uri, type: "Person" } });
		expect(bodies[2]).toMatchObject({ type: "Block", object: remote.uri });
		expect(bodies[3]).toMatchObject({
			type: "Follow",
			id: `https://tern.test/follows/${requestId}`,
			object: remote.uri,
		});
	});
});

describe("relaying an event", () => {
	it("stores its deliveries once however many relays run, and deletes it", async () => {
		const author = await createTestUser();
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, author.account.id);
		const remote = await createRemoteAccount();
		await insertFollow(remote.id, author.account.id);
		const post = await postStatus(author, { status: "once" });
		const handle = db();
		await publishOutboxEvent(handle, { type: "status.created", statusId: post.id });
		const [id] = takePublishedEvents(handle) as [string];
		const ctx = serviceContext(env, handle);
		const [first, second] = await Promise.all([relayEvent(ctx, id), relayEvent(ctx, id)]);
		expect([...(first ?? []), ...(second ?? [])]).toHaveLength(1);
		expect(await relayEvent(ctx, id)).toEqual([]);
		expect(await db().select().from(outboxEvents).where(eq(outboxEvents.id, id))).toEqual([]);
	});
});
