import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createRemoteAccount, insertFollow, insertRemoteFollowers } from "../../../test/helpers/remote";
import { createTestUser, db } from "../../../test/helpers/users";
import { serviceContext } from "../../context";
import { deadLetters, domainDeliveryStatus, outboxActivities, type PendingInbox } from "../../db/schema";
import { newId } from "../../lib/ids";
import { ensureAccountKeys } from "../../services/accounts/keys";
import { OUTBOX_RETENTION_MS, pruneFederationLogs } from "../housekeeping";
import { queueDeliveries } from "../outbox/relay";
import { deliveryRetryDelaySeconds } from "./backoff";
import { isDomainUnavailable, recordDeliveryFailure, UNAVAILABLE_AFTER_MS } from "./domains";
import type { PlannedDelivery } from "./events";
import type { DeliverMessage } from "./messages";
import { outcomeOfError, outcomeOfStatus } from "./outcome";
import { resolveInboxes } from "./recipients";
import { type ActivitySender, DELIVERIES_PER_RUN, MAX_DELIVERY_ATTEMPTS, runDelivery } from "./run";
import { deliveryRows, INBOXES_PER_DELIVERY } from "./store";

const ctx = () => serviceContext(env, db());

async function signer() {
	const user = await createTestUser();
	await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, user.account.id);
	return user;
}

/** Stores a delivery of a Create owed to `inboxes` (due now unless given a retry state). */
async function storedDelivery(accountId: string, inboxes: (string | PendingInbox)[]): Promise<string> {
	const id = newId();
	await db()
		.insert(outboxActivities)
		.values({
			id,
			uri: `https://tern.test/activities/${id}`,
			accountId,
			type: "Create",
			body: { id: `https://tern.test/activities/${id}`, type: "Create", actor: "https://tern.test/users/x" },
			inboxes: inboxes.map((i) => (typeof i === "string" ? { inbox: i, attempts: 0 } : i)),
			nextAt: Date.now(),
			createdAt: new Date(),
		});
	return id;
}

async function pendingOf(id: string): Promise<PendingInbox[] | null> {
	const [row] = await db().select().from(outboxActivities).where(eq(outboxActivities.id, id));
	return row ? row.inboxes : null;
}

const answering =
	(status: number): ActivitySender =>
	async () => ({ status });

describe("audiences and stored deliveries", () => {
	it("1000 followers on 200 hosts make 200 inboxes, stored as deliveries of 50 and queued in batches of ≤100", async () => {
		const author = await createTestUser();
		await insertRemoteFollowers(author.account.id, 200, 5);
		const inboxes = await resolveInboxes(db(), { followersOf: author.account.id });
		expect(inboxes).toHaveLength(200);
		const plan: PlannedDelivery = {
			accountId: author.account.id,
			activity: { id: "https://tern.test/a/1", type: "Create", actor: author.account.uri },
			audience: {},
		};
		const rows = deliveryRows(plan, [...inboxes, ...inboxes]);
		expect(rows.map((r) => r.inboxes.length)).toEqual([50, 50, 50, 50]);
		expect(INBOXES_PER_DELIVERY).toBe(50);
		expect(new Set(rows.flatMap((r) => r.inboxes.map((i) => i.inbox))).size).toBe(200);
		const batches: DeliverMessage[][] = [];
		const queue = {
			sendBatch: async (messages: Iterable<MessageSendRequest<DeliverMessage>>) =>
				void batches.push([...messages].map((m) => m.body)),
		};
		const ids = Array.from({ length: 150 }, (_, i) => ({ id: `d${i}` }));
		await queueDeliveries({ env: { ...env, DELIVERY_QUEUE: queue as unknown as Queue } }, ids);
		expect(batches.map((b) => b.length)).toEqual([100, 50]);
		expect(batches[0]?.[0]).toEqual({ type: "deliver", deliveryId: "d0" });
	});

	it("uses personal inboxes where there is no shared inbox, and merges mentions with followers", async () => {
		const author = await createTestUser();
		const lone = await createRemoteAccount({ sharedInbox: false });
		const follower = await createRemoteAccount();
		const mentionedSameHost = await createRemoteAccount({ domain: follower.domain ?? "" });
		await insertFollow(lone.id, author.account.id);
		await insertFollow(follower.id, author.account.id);
		const inboxes = await resolveInboxes(db(), {
			followersOf: author.account.id,
			accountIds: [mentionedSameHost.id],
		});
		expect(inboxes.sort()).toEqual([lone.inboxUrl, follower.sharedInboxUrl].sort());
		const personal = await resolveInboxes(db(), { personalInboxOf: [follower.id] });
		expect(personal).toEqual([follower.inboxUrl]);
	});

	it("leaves out hosts marked unavailable", async () => {
		const author = await createTestUser();
		const up = await createRemoteAccount();
		const down = await createRemoteAccount();
		await insertFollow(up.id, author.account.id);
		await insertFollow(down.id, author.account.id);
		await db()
			.insert(domainDeliveryStatus)
			.values({
				domain: down.domain ?? "",
				failingSince: new Date(0),
				failureCount: 50,
				unavailableSince: new Date(),
				updatedAt: new Date(),
			});
		expect(await resolveInboxes(db(), { followersOf: author.account.id })).toEqual([up.sharedInboxUrl]);
	});
});

describe("delivery outcomes", () => {
	it("classifies statuses and errors", () => {
		expect(outcomeOfStatus(202)).toBe("delivered");
		expect(outcomeOfStatus(200)).toBe("delivered");
		expect(outcomeOfStatus(404)).toBe("permanent_failure");
		expect(outcomeOfStatus(410)).toBe("permanent_failure");
		expect(outcomeOfStatus(401)).toBe("permanent_failure");
		expect(outcomeOfStatus(429)).toBe("retry");
		expect(outcomeOfStatus(500)).toBe("retry");
		expect(outcomeOfStatus(503)).toBe("retry");
		expect(outcomeOfError("timeout")).toBe("retry");
		expect(outcomeOfError("network")).toBe("retry");
		expect(outcomeOfError("refused")).toBe("permanent_failure");
	});

	it("backs off from seconds to hours, capped at 12 hours", () => {
		const none = () => 0;
		expect(deliveryRetryDelaySeconds(1, none)).toBe(16);
		expect(deliveryRetryDelaySeconds(5, none)).toBe(640);
		expect(deliveryRetryDelaySeconds(10, none)).toBe(10_015);
		expect(deliveryRetryDelaySeconds(16, none)).toBe(12 * 60 * 60);
		for (let n = 1; n < 14; n++) {
			expect(deliveryRetryDelaySeconds(n + 1, none)).toBeGreaterThan(deliveryRetryDelaySeconds(n, none));
		}
		expect(deliveryRetryDelaySeconds(3, () => 0.99)).toBeLessThan(81 + 15 + 40);
	});
});

describe("delivery runs", () => {
	it("send to at most DELIVERIES_PER_RUN inboxes each, then say whether more are due", async () => {
		const user = await signer();
		const stamp = newId();
		const inboxes = Array.from({ length: 7 }, (_, i) => `https://ok${i}-${stamp}.example/inbox`);
		const id = await storedDelivery(user.account.id, inboxes);
		const calls: string[] = [];
		const send: ActivitySender = async (inbox, body, signed) => {
			calls.push(inbox);
			expect(JSON.parse(body).type).toBe("Create");
			expect(signed.key.keyId).toBe(`${user.account.uri}#main-key`);
			return { status: 202 };
		};
		const first = await runDelivery(ctx(), id, { send });
		expect(first).toMatchObject({ state: "due", delivered: DELIVERIES_PER_RUN });
		expect((await pendingOf(id))?.map((p) => p.inbox)).toEqual(inboxes.slice(DELIVERIES_PER_RUN));
		const second = await runDelivery(ctx(), id, { send });
		expect(second).toMatchObject({ state: "done", delivered: 2 });
		expect(await pendingOf(id)).toBeNull();
		expect(calls).toEqual(inboxes);
	});

	it("clear a host's failures when it answers, drop 4xx, keep 5xx, 429 and timeouts with backoff per inbox", async () => {
		const user = await signer();
		const stamp = newId();
		const ok = `https://ok-${stamp}.example/inbox`;
		const gone = `https://gone-${stamp}.example/inbox`;
		const down = `https://down-${stamp}.example/inbox`;
		const slow = `https://slow-${stamp}.example/inbox`;
		await recordDeliveryFailure(db(), `ok-${stamp}.example`);
		const id = await storedDelivery(user.account.id, [ok, gone, down, { inbox: slow, attempts: 4 }]);
		const now = Date.now();
		const run = await runDelivery(ctx(), id, {
			now,
			send: async (inbox) => {
				if (inbox === slow) throw Object.assign(new Error("timed out"), { code: "timeout" });
				return { status: inbox === ok ? 202 : inbox === gone ? 410 : 503 };
			},
		});
		expect(run).toMatchObject({ state: "later", delivered: 1, dropped: 1, retrying: 2 });
		const pending = (await pendingOf(id)) ?? [];
		expect(pending.map((p) => [p.inbox, p.attempts])).toEqual([
			[down, 1],
			[slow, 5],
		]);
		expect(pending[0]?.retryAt).toBeGreaterThanOrEqual(now + (1 + 15) * 1000);
		expect(pending[1]?.retryAt).toBeGreaterThanOrEqual(now + (5 ** 4 + 15) * 1000);
		expect(run.retryAt).toBe(pending[0]?.retryAt);
		expect(
			await db()
				.select()
				.from(domainDeliveryStatus)
				.where(eq(domainDeliveryStatus.domain, `ok-${stamp}.example`)),
		).toEqual([]);
		const [failing] = await db()
			.select()
			.from(domainDeliveryStatus)
			.where(eq(domainDeliveryStatus.domain, `down-${stamp}.example`));
		expect(failing?.failureCount).toBe(1);
		// Nothing is due before the earliest retry.
		let called = false;
		const early = await runDelivery(ctx(), id, {
			now: now + 1000,
			send: async () => {
				called = true;
				return { status: 202 };
			},
		});
		expect(early.state).toBe("later");
		expect(called).toBe(false);
	});

	it("give an inbox up after MAX_DELIVERY_ATTEMPTS and keep it in dead_letters", async () => {
		const user = await signer();
		const inbox = `https://dying-${newId()}.example/inbox`;
		const id = await storedDelivery(user.account.id, [{ inbox, attempts: MAX_DELIVERY_ATTEMPTS - 1 }]);
		const run = await runDelivery(ctx(), id, { send: answering(503) });
		expect(run).toMatchObject({ state: "done", dropped: 1 });
		expect(await pendingOf(id)).toBeNull();
		const letters = await db()
			.select()
			.from(deadLetters)
			.where(sql`json_extract(${deadLetters.body}, '$.inbox') = ${inbox}`);
		expect(letters).toHaveLength(1);
		expect(letters[0]).toMatchObject({ queue: "tern-delivery", attempts: MAX_DELIVERY_ATTEMPTS });
		// The letter is the queue message of a parked copy, which outlives the retention while the letter waits.
		const body = letters[0]?.body as { type: string; deliveryId: string };
		expect(body.type).toBe("deliver");
		const [parked] = await db().select().from(outboxActivities).where(eq(outboxActivities.id, body.deliveryId));
		expect(parked).toMatchObject({ nextAt: null, inboxes: [{ inbox, attempts: 0 }] });
		await pruneFederationLogs(db(), Date.now() + OUTBOX_RETENTION_MS + 1000, { inbox: true });
		expect(await pendingOf(body.deliveryId)).toHaveLength(1);
		// Replayed, it runs like any delivery, with fresh attempts.
		const replay = await runDelivery(ctx(), body.deliveryId, { send: answering(202) });
		expect(replay).toMatchObject({ state: "done", delivered: 1 });
		expect(await pendingOf(body.deliveryId)).toBeNull();
	});

	it("skip a host failing for a week until it answers again", async () => {
		const user = await signer();
		const host = `dead-${newId()}.example`;
		const start = new Date(Date.now() - UNAVAILABLE_AFTER_MS - 1000);
		await recordDeliveryFailure(db(), host, start);
		expect(await isDomainUnavailable(db(), host)).toBe(false);
		await recordDeliveryFailure(db(), host);
		expect(await isDomainUnavailable(db(), host)).toBe(true);
		const id = await storedDelivery(user.account.id, [`https://${host}/inbox`]);
		let called = false;
		const run = await runDelivery(ctx(), id, {
			send: async () => {
				called = true;
				return { status: 202 };
			},
		});
		expect(run).toMatchObject({ state: "done", dropped: 1 });
		expect(called).toBe(false);
	});

	it("leave a row another run saved first to that run, and wait for keys not made yet", async () => {
		const user = await signer();
		const id = await storedDelivery(user.account.id, [
			`https://a-${newId()}.example/inbox`,
			`https://b-${newId()}.example/inbox`,
		]);
		const run = await runDelivery(ctx(), id, {
			budget: 1,
			send: async () => {
				// Another run of the same row saves while this one is sending.
				await db().run(sql`update outbox_activities set version = version + 1 where id = ${id}`);
				return { status: 202 };
			},
		});
		expect(run.state).toBe("done");
		expect(await pendingOf(id)).toHaveLength(2);

		// An account with no keys (a local one's key job may not have run yet).
		const keyless = await createRemoteAccount();
		const waiting = await storedDelivery(keyless.id, [`https://c-${newId()}.example/inbox`]);
		const later = await runDelivery(ctx(), waiting, { send: answering(202) });
		expect(later.state).toBe("later");
		expect((await pendingOf(waiting))?.[0]?.attempts).toBe(0);
	});
});

describe("pruneFederationLogs", () => {
	it("drops deliveries past their retries and keeps recent ones", async () => {
		const user = await createTestUser();
		const recent = await storedDelivery(user.account.id, []);
		const old = await storedDelivery(user.account.id, []);
		await db()
			.update(outboxActivities)
			.set({ createdAt: new Date(Date.now() - OUTBOX_RETENTION_MS - 1000) })
			.where(eq(outboxActivities.id, old));
		await pruneFederationLogs(db(), Date.now(), { inbox: true });
		const left = await db().select({ id: outboxActivities.id }).from(outboxActivities);
		expect(left.map((r) => r.id)).toContain(recent);
		expect(left.map((r) => r.id)).not.toContain(old);
	});
});
