import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createRemoteAccount, insertFollow } from "../../../test/helpers/remote";
import { postStatus } from "../../../test/helpers/statuses";
import { createTestUser, db, type TestUser } from "../../../test/helpers/users";
import { blocks, favourites, followRequests, follows, outboxActivities, statuses } from "../../db/schema";
import { newId } from "../../lib/ids";
import { handleQueue } from "../../queues/consumer";
import { QUEUE_NAMES } from "../../queues/messages";
import { ensureAccountKeys } from "../../services/accounts/keys";
import type { OutboxEvent } from "../outbox/events";
import { storeOutboxActivity } from "./expand";
import type { DeliverMessage } from "./messages";

let alice: TestUser;
let sentBatches: DeliverMessage[][];

beforeAll(async () => {
	alice = await createTestUser();
	await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, alice.account.id);
});

beforeEach(() => {
	sentBatches = [];
	vi.spyOn(env.DELIVERY_QUEUE, "send").mockResolvedValue(undefined as never);
	vi.spyOn(env.JOBS_QUEUE, "send").mockResolvedValue(undefined as never);
	vi.spyOn(env.DELIVERY_QUEUE, "sendBatch").mockImplementation(async (messages) => {
		sentBatches.push([...messages].map((m) => m.body as DeliverMessage));
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

describe("deliver messages", () => {
	it("acks 2xx and permanent 4xx, retries 5xx with backoff, and a failure never drops the others", async () => {
		const activity = { id: `${alice.account.uri}#test/${newId()}`, type: "Create", actor: alice.account.uri };
		const activityId = await storeOutboxActivity(db(), { accountId: alice.account.id, activity });
		const posts: { url: string; body: string; signature: string | null }[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const request = new Request(input, init);
			posts.push({ url: request.url, body: await request.text(), signature: request.headers.get("signature") });
			const host = new URL(request.url).host;
			const status = host.startsWith("down") ? 503 : host.startsWith("gone") ? 410 : 202;
			return new Response(null, { status });
		});
		const stamp = newId();
		const inboxes = [
			`https://ok-${stamp}.example/inbox`,
			`https://down-${stamp}.example/inbox`,
			`https://gone-${stamp}.example/inbox`,
			"http://127.0.0.1/inbox",
		];
		const result = await runDeliveryBatch(
			inboxes.map((inbox) => ({ type: "deliver", activityId, inbox })),
			3,
		);
		expect(result.explicitAcks.sort()).toEqual(["m0", "m2", "m3"]);
		expect(result.retryMessages.map((m) => m.msgId)).toEqual(["m1"]);
		// getQueueResult does not report retry delays; deliveryRetryDelaySeconds is tested in delivery.test.ts.
		const ok = posts.find((p) => p.url === inboxes[0]);
		expect(JSON.parse(ok?.body ?? "{}")).toEqual(activity);
		expect(ok?.signature).toContain(`keyId="${alice.account.uri}#main-key"`);
		// The private address was refused before any request.
		expect(posts.some((p) => p.url.includes("127.0.0.1"))).toBe(false);
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
		await runDeliveryBatch([{ type: "outbox.event", event: { type: "status.created", statusId: post.id } }]);
		const messages = sentBatches.flat();
		expect(messages.map((m) => m.inbox).sort()).toEqual([a1.sharedInboxUrl, b.inboxUrl].sort());
		const [stored] = await db()
			.select()
			.from(outboxActivities)
			.where(eq(outboxActivities.id, messages[0]?.activityId ?? ""));
		expect(stored?.body).toMatchObject({ type: "Create", actor: author.account.uri, object: { id: post.uri } });
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
		const events: OutboxEvent[] = [
			{ type: "favourite.created", favouriteId },
			{ type: "follow.accepted", followId },
		];
		await runDeliveryBatch(events.map((event) => ({ type: "outbox.event", event })));
		const messages = sentBatches.flat();
		expect(messages.map((m) => m.inbox)).toEqual([remote.sharedInboxUrl, remote.inboxUrl]);
		const bodies = await Promise.all(
			messages.map(async (m) => {
				const [row] = await db().select().from(outboxActivities).where(eq(outboxActivities.id, m.activityId));
				return row?.body as Record<string, unknown>;
			}),
		);
		expect(bodies[0]).toMatchObject({ type: "Like", object: `https://${remote.domain}/notes/${statusId}` });
		expect(bodies[1]).toMatchObject({
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
		const result = await runDeliveryBatch([{ type: "outbox.event", event: { type: "status.created", statusId } }]);
		expect(result.explicitAcks).toEqual(["m0"]);
		expect(sentBatches).toEqual([]);
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
		await runDeliveryBatch(events.map((event) => ({ type: "outbox.event", event })));
		const messages = sentBatches.flat();
		expect(messages.map((m) => m.inbox)).toEqual([
			remote.sharedInboxUrl,
			remote.sharedInboxUrl,
			remote.inboxUrl,
			remote.inboxUrl,
		]);
		const bodies = [];
		for (const m of messages) {
			const [row] = await db().select().from(outboxActivities).where(eq(outboxActivities.id, m.activityId));
			bodies.push(row?.body as Record<string, unknown>);
		}
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
