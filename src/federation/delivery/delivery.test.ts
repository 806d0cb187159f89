import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createRemoteAccount, insertFollow, insertRemoteFollowers } from "../../../test/helpers/remote";
import { createTestUser, db } from "../../../test/helpers/users";
import { domainDeliveryStatus, outboxActivities } from "../../db/schema";
import { RetryLater } from "../../queues/retry";
import { OUTBOX_RETENTION_MS, pruneFederationLogs } from "../housekeeping";
import { deliveryRetryDelaySeconds } from "./backoff";
import { type ActivitySender, deliverActivity } from "./deliver";
import { isDomainUnavailable, recordDeliveryFailure, UNAVAILABLE_AFTER_MS } from "./domains";
import { enqueueDeliveries, SEND_BATCH_LIMIT, storeOutboxActivity } from "./expand";
import type { DeliverMessage } from "./messages";
import { outcomeOfError, outcomeOfStatus } from "./outcome";
import { resolveInboxes } from "./recipients";

function fakeQueue() {
	const batches: DeliverMessage[][] = [];
	return {
		batches,
		sendBatch: async (messages: Iterable<MessageSendRequest<DeliverMessage>>) => {
			batches.push([...messages].map((m) => m.body));
		},
	};
}

async function storedActivity(accountId: string) {
	const id = `https://tern.test/activities/${crypto.randomUUID()}`;
	return storeOutboxActivity(db(), { accountId, activity: { id, type: "Create", actor: "x" } });
}

describe("inbox expansion", () => {
	it("sends one delivery per shared inbox: 1000 followers on 200 hosts make 200 messages in batches of ≤100", async () => {
		const author = await createTestUser();
		await insertRemoteFollowers(author.account.id, 200, 5);
		const inboxes = await resolveInboxes(db(), { followersOf: author.account.id });
		expect(inboxes).toHaveLength(200);
		const queue = fakeQueue();
		const sent = await enqueueDeliveries(queue, await storedActivity(author.account.id), inboxes);
		expect(sent).toBe(200);
		expect(queue.batches.map((b) => b.length)).toEqual([100, 100]);
		expect(queue.batches.every((b) => b.length <= SEND_BATCH_LIMIT)).toBe(true);
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

describe("deliverActivity", () => {
	const answering =
		(status: number): ActivitySender =>
		async () => ({ status });

	it("acks 2xx and clears the host's failures", async () => {
		const user = await createTestUser();
		const activityId = await storedActivity(user.account.id);
		const host = `ok-${crypto.randomUUID()}.example`;
		await recordDeliveryFailure(db(), host);
		const calls: string[] = [];
		const result = await deliverActivity(
			db(),
			{ type: "deliver", activityId, inbox: `https://${host}/inbox` },
			1,
			async (inbox, body) => {
				calls.push(inbox);
				expect(JSON.parse(body).type).toBe("Create");
				return { status: 202 };
			},
		);
		expect(result).toBe("delivered");
		expect(calls).toHaveLength(1);
		expect(await db().select().from(domainDeliveryStatus).where(eq(domainDeliveryStatus.domain, host))).toEqual([]);
	});

	it("drops 4xx without a retry", async () => {
		const user = await createTestUser();
		const activityId = await storedActivity(user.account.id);
		const message: DeliverMessage = { type: "deliver", activityId, inbox: "https://gone.example/inbox" };
		expect(await deliverActivity(db(), message, 1, answering(410))).toBe("permanent_failure");
		expect(await deliverActivity(db(), message, 1, answering(400))).toBe("permanent_failure");
	});

	it("retries 5xx, 429 and timeouts with backoff and counts the host's failure", async () => {
		const user = await createTestUser();
		const activityId = await storedActivity(user.account.id);
		const host = `flaky-${crypto.randomUUID()}.example`;
		const message: DeliverMessage = { type: "deliver", activityId, inbox: `https://${host}/inbox` };
		const timeout: ActivitySender = async () => {
			throw Object.assign(new Error("timed out"), { code: "timeout" });
		};
		for (const [sender, attempts] of [
			[answering(503), 1],
			[answering(429), 4],
			[timeout, 6],
		] as const) {
			const error = await deliverActivity(db(), message, attempts, sender).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(RetryLater);
			expect((error as RetryLater).delaySeconds).toBeGreaterThanOrEqual(attempts ** 4 + 15);
		}
		const [row] = await db().select().from(domainDeliveryStatus).where(eq(domainDeliveryStatus.domain, host));
		expect(row?.failureCount).toBe(3);
		expect(row?.unavailableSince).toBeNull();
	});

	it("marks a host failing for a week unavailable and skips it until it answers again", async () => {
		const user = await createTestUser();
		const activityId = await storedActivity(user.account.id);
		const host = `dead-${crypto.randomUUID()}.example`;
		const start = new Date(Date.now() - UNAVAILABLE_AFTER_MS - 1000);
		await recordDeliveryFailure(db(), host, start);
		expect(await isDomainUnavailable(db(), host)).toBe(false);
		await recordDeliveryFailure(db(), host);
		expect(await isDomainUnavailable(db(), host)).toBe(true);
		let called = false;
		const result = await deliverActivity(
			db(),
			{ type: "deliver", activityId, inbox: `https://${host}/inbox` },
			1,
			async () => {
				called = true;
				return { status: 202 };
			},
		);
		expect(result).toBe("skipped_unavailable");
		expect(called).toBe(false);
	});
});

describe("pruneFederationLogs", () => {
	it("drops outbox activities past their retries and keeps recent ones", async () => {
		const user = await createTestUser();
		const recent = await storedActivity(user.account.id);
		const old = await storedActivity(user.account.id);
		await db()
			.update(outboxActivities)
			.set({ createdAt: new Date(Date.now() - OUTBOX_RETENTION_MS - 1000) })
			.where(eq(outboxActivities.id, old));
		await pruneFederationLogs(db());
		const left = await db().select({ id: outboxActivities.id }).from(outboxActivities);
		expect(left.map((r) => r.id)).toContain(recent);
		expect(left.map((r) => r.id)).not.toContain(old);
	});
});
