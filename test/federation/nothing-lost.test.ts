import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../../src/context";
import { accounts, follows, inboxActivities, outboxActivities } from "../../src/db/schema";
import { INBOX_GRACE_MS } from "../../src/federation/inbox/sweep";
import { takePublishedEvents } from "../../src/federation/outbox/events";
import { relayEvent } from "../../src/federation/outbox/relay";
import { EVENT_GRACE_MS, STALE_DELIVERY_MS } from "../../src/federation/outbox/sweep";
import { handleQueue } from "../../src/queues/consumer";
import { QUEUE_NAMES } from "../../src/queues/messages";
import { handleScheduled } from "../../src/scheduled";
import { ensureAccountKeys } from "../../src/services/accounts/keys";
import { createStatus } from "../../src/services/statuses/posting";
import { failingBatches } from "../helpers/crash";
import { fakeActor, signedInboxRequest } from "../helpers/fediverse";
import { fetchSettled } from "../helpers/outbox";
import { createRemoteAccount, insertFollow } from "../helpers/remote";
import { config, createTestUser, db, type TestUser } from "../helpers/users";

/**
 * Each step of federation killed half-way, as an isolate dies: whatever was
 * acknowledged (a post answered 200, an activity answered 202) still takes
 * effect once the cron's sweep and the queues have run, and a repeat carries
 * the same activity id so receivers record it once.
 */

type Sent = { queue: string; body: unknown; delaySeconds?: number };
let sent: Sent[];
/** Every POST the peers received: inbox and activity id. */
let received: { inbox: string; id: string }[];
/** What the peers answer to GETs (actor documents). */
let documents: Record<string, unknown>;

beforeEach(() => {
	sent = [];
	received = [];
	documents = {};
	for (const [name, queue] of [
		[QUEUE_NAMES.delivery, env.DELIVERY_QUEUE],
		[QUEUE_NAMES.inbox, env.INBOX_QUEUE],
	] as const) {
		vi.spyOn(queue, "send").mockImplementation(async (body, options) => {
			sent.push({ queue: name, body, delaySeconds: options?.delaySeconds });
			return undefined as never;
		});
		vi.spyOn(queue, "sendBatch").mockImplementation(async (messages) => {
			for (const m of messages) sent.push({ queue: name, body: m.body, delaySeconds: m.delaySeconds });
			return undefined as never;
		});
	}
	vi.spyOn(env.JOBS_QUEUE, "send").mockResolvedValue(undefined as never);
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input, init);
		if (request.method === "POST") {
			const body = (await request.json()) as { id: string };
			received.push({ inbox: request.url, id: body.id });
			return new Response(null, { status: 202 });
		}
		const document = documents[request.url];
		if (!document) return new Response("not found", { status: 404 });
		return new Response(JSON.stringify(document), { headers: { "Content-Type": "application/activity+json" } });
	});
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** Runs the queued messages as the queues would (retries at once, delays ignored) until none is left. */
async function drainQueues(limit = 200): Promise<void> {
	for (let round = 0; round < limit && sent.length > 0; round++) {
		const { queue, body } = sent.shift() as Sent;
		let attempts = 1;
		for (;;) {
			const batch = createMessageBatch(queue, [{ id: "m", timestamp: new Date(), attempts, body }]);
			const exec = createExecutionContext();
			await handleQueue(batch, env, exec);
			const result = await getQueueResult(batch, exec);
			if (result.retryMessages.length === 0) break;
			attempts++;
			if (attempts > 100) throw new Error(`Message never finished: ${JSON.stringify(body)}`);
		}
	}
	expect(sent).toEqual([]);
}

async function sweep(now: number): Promise<void> {
	vi.spyOn(Date, "now").mockReturnValue(now);
	try {
		await handleScheduled({ cron: "*/10 * * * *", scheduledTime: now, noRetry() {} }, env);
	} finally {
		vi.mocked(Date.now).mockRestore();
	}
}

async function authorWithFollowers(hosts: number): Promise<{ author: TestUser; inboxes: string[] }> {
	const author = await createTestUser();
	await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, author.account.id);
	const inboxes: string[] = [];
	for (let i = 0; i < hosts; i++) {
		const follower = await createRemoteAccount();
		await insertFollow(follower.id, author.account.id);
		inboxes.push(follower.sharedInboxUrl as string);
	}
	return { author, inboxes };
}

function post(author: TestUser, handle = db()) {
	return createStatus(
		{ env, db: handle, config: config() },
		{ account: author.account, defaultVisibility: "public", applicationId: null, text: `nothing lost ${Date.now()}` },
	);
}

/** Each inbox got the activity at least once, and every copy had the same id. */
function expectReached(inboxes: string[], activityId: string) {
	const copies = received.filter((r) => r.id === activityId);
	expect(new Set(copies.map((c) => c.inbox))).toEqual(new Set(inboxes));
	return copies.length;
}

describe("outbound, killed half-way", () => {
	it("a post whose relay never ran (the isolate died after its batch) is sent by the sweep", async () => {
		const { author, inboxes } = await authorWithFollowers(3);
		const handle = db();
		const status = await post(author, handle);
		// The event committed with the post; nobody relays it: the isolate is gone.
		expect(takePublishedEvents(handle)).toHaveLength(1);
		expect(received).toEqual([]);
		await sweep(Date.now() + EVENT_GRACE_MS + 1000);
		await drainQueues();
		expect(expectReached(inboxes, `${status.uri}/activity`)).toBe(3);
	});

	it("deliveries stored but never queued (the relay died) are queued by the sweep", async () => {
		const { author, inboxes } = await authorWithFollowers(2);
		const handle = db();
		const status = await post(author, handle);
		const [eventId] = takePublishedEvents(handle) as [string];
		const stored = await relayEvent(serviceContext(env, handle), eventId);
		expect(stored).toHaveLength(1);
		// Dies here, before dispatching: nothing queued, nothing sent.
		expect(sent).toEqual([]);
		await sweep(Date.now() + STALE_DELIVERY_MS + 1000);
		await drainQueues();
		expect(expectReached(inboxes, `${status.uri}/activity`)).toBe(2);
		expect(
			await db()
				.select()
				.from(outboxActivities)
				.where(eq(outboxActivities.id, stored[0]?.id ?? "")),
		).toEqual([]);
	});

	it("a delivery run that dies after sending, before saving, sends again with the same id and goes on", async () => {
		const { author, inboxes } = await authorWithFollowers(7);
		const handle = db();
		const status = await post(author, handle);
		const [eventId] = takePublishedEvents(handle) as [string];
		const [delivery] = await relayEvent(serviceContext(env, handle), eventId);
		// The run reads the row, its keys and preferences, sends, and dies saving (its one batch).
		const dying = { ...env, DB: failingBatches(env.DB, () => true) };
		const batch = createMessageBatch(QUEUE_NAMES.delivery, [
			{ id: "m", timestamp: new Date(), attempts: 1, body: { type: "deliver", deliveryId: delivery?.id } },
		]);
		await handleQueue(batch, dying, createExecutionContext());
		const sentBeforeDeath = received.length;
		expect(sentBeforeDeath).toBeGreaterThan(0);
		expect(
			(
				await db()
					.select()
					.from(outboxActivities)
					.where(eq(outboxActivities.id, delivery?.id ?? ""))
			)[0]?.inboxes,
		).toHaveLength(7);
		// The message is retried (or, were it lost, the sweep would queue the row again).
		sent.push({ queue: QUEUE_NAMES.delivery, body: { type: "deliver", deliveryId: delivery?.id } });
		await drainQueues();
		expect(expectReached(inboxes, `${status.uri}/activity`)).toBe(7 + sentBeforeDeath);
	});

	it("a delivery whose message the queue lost (retention, a dropped retry) is queued again by the sweep", async () => {
		const { author, inboxes } = await authorWithFollowers(2);
		const response = await fetchSettled(
			new Request("https://tern.test/api/v1/statuses", {
				method: "POST",
				headers: { Authorization: `Bearer ${author.token}`, "Content-Type": "application/json" },
				body: JSON.stringify({ status: "lost in the queue" }),
			}),
		);
		const status = (await response.json()) as { uri: string };
		// The relay queued one message; the queue never delivers it.
		expect(sent).toHaveLength(1);
		sent = [];
		await sweep(Date.now() + STALE_DELIVERY_MS + 1000);
		await drainQueues();
		expect(expectReached(inboxes, `${status.uri}/activity`)).toBe(2);
	});
});

describe("inbound, killed half-way", () => {
	async function followRequest(peer: Awaited<ReturnType<typeof fakeActor>>, target: TestUser) {
		const activity = {
			"@context": "https://www.w3.org/ns/activitystreams",
			id: `${peer.uri}#follows/${crypto.randomUUID()}`,
			type: "Follow",
			actor: peer.uri,
			object: target.account.uri,
		};
		return { activity, request: await signedInboxRequest(peer, activity, `/users/${target.account.username}/inbox`) };
	}

	async function followersCount(user: TestUser) {
		const [row] = await db().select().from(accounts).where(eq(accounts.id, user.account.id));
		return row?.followersCount;
	}

	it("an activity stored before the 202 whose processing never ran is processed after the sweep, once", async () => {
		const peer = await fakeActor();
		documents[peer.uri] = peer.document;
		const alice = await createTestUser();
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, alice.account.id);
		const { activity, request } = await followRequest(peer, alice);
		// The request stores the activity and answers 202; then the isolate dies: every later round
		// trip fails, and so would the hand-over to the queue.
		const dyingAfterStore = new Proxy(env.DB, {
			get(target, property, receiver) {
				const value = Reflect.get(target, property, receiver);
				if (property === "prepare") {
					return (query: string) => {
						const statement = value.call(target, query);
						if (/^insert into "inbox_activities"/i.test(query)) stored = true;
						if (stored && !/^insert into "inbox_activities"/i.test(query)) throw new Error("The isolate died here");
						return statement;
					};
				}
				if (property === "batch" && stored) throw new Error("The isolate died here");
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
		let stored = false;
		vi.mocked(env.INBOX_QUEUE.send).mockRejectedValueOnce(new Error("The isolate died here"));
		const response = await fetchSettled(request.clone(), { ...env, DB: dyingAfterStore });
		expect(response.status).toBe(202);
		expect(sent).toEqual([]);
		const [row] = await db().select().from(inboxActivities).where(eq(inboxActivities.uri, activity.id));
		expect(row?.processedAt).toBeNull();
		expect(await followersCount(alice)).toBe(0);

		await sweep(Date.now() + INBOX_GRACE_MS + 1000);
		expect(sent.map((s) => s.body)).toEqual([{ type: "inbox.activity", uri: activity.id }]);
		await drainQueues();
		expect(await followersCount(alice)).toBe(1);
		// Its Accept went out too, by the id the Follow named.
		expect(received.filter((r) => r.inbox === peer.document.inbox)).toHaveLength(1);
		// A redelivery of the same activity changes nothing.
		expect((await fetchSettled(request.clone())).status).toBe(202);
		expect(await followersCount(alice)).toBe(1);
	});

	it("an activity whose processing fails half-way is retried from the inbox queue and takes effect once", async () => {
		const peer = await fakeActor();
		documents[peer.uri] = peer.document;
		const alice = await createTestUser();
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, alice.account.id);
		// A first activity from the peer, so its key is known here.
		const hello = { id: `${peer.uri}#bite`, type: "Bite", actor: peer.uri, object: alice.account.uri };
		expect((await fetchSettled(await signedInboxRequest(peer, hello))).status).toBe(202);
		const { activity, request } = await followRequest(peer, alice);
		// The follow's writes (a batch of several statements) fail: the handler throws half-way.
		const flaky = failingBatches(env.DB, (statements) => statements.length > 2);
		const response = await fetchSettled(request.clone(), { ...env, DB: flaky });
		expect(response.status).toBe(202);
		expect(sent).toEqual([
			{ queue: QUEUE_NAMES.inbox, body: { type: "inbox.activity", uri: activity.id }, delaySeconds: 30 },
		]);
		const [row] = await db().select().from(inboxActivities).where(eq(inboxActivities.uri, activity.id));
		expect(row).toMatchObject({ processedAt: null, attempts: 1 });
		await drainQueues();
		expect(await followersCount(alice)).toBe(1);
		const rows = await db().select().from(follows).where(eq(follows.uri, activity.id));
		expect(rows).toHaveLength(1);
		const [done] = await db().select().from(inboxActivities).where(eq(inboxActivities.uri, activity.id));
		expect(done?.processedAt).not.toBeNull();
		// The sweep finds nothing left to do.
		await sweep(Date.now() + INBOX_GRACE_MS + 1000);
		expect(sent).toEqual([]);
	});
});
