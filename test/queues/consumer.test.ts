import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { accountKeys, deadLetters } from "../../src/db/schema";
import { retryDelaySeconds } from "../../src/queues/backoff";
import { handleQueue } from "../../src/queues/consumer";
import { createTestUser, db } from "../helpers/users";

const message = (id: string, body: unknown, attempts = 1) => ({ id, timestamp: new Date(), attempts, body });

describe("jobs queue", () => {
	it("generates an account's keys once, and acks", async () => {
		const user = await createTestUser();
		const body = { type: "account.generate_keys", accountId: user.account.id };
		const batch = createMessageBatch("tern-jobs", [message("m1", body), message("m2", body)]);
		const ctx = createExecutionContext();
		await handleQueue(batch, env, ctx);
		const result = await getQueueResult(batch, ctx);
		expect(result.explicitAcks.sort()).toEqual(["m1", "m2"]);
		expect(result.retryMessages).toEqual([]);
		const keys = await db().select().from(accountKeys).where(eq(accountKeys.accountId, user.account.id));
		expect(keys).toHaveLength(1);
	});

	it("retries only the failing messages, with a delay", async () => {
		const user = await createTestUser();
		const batch = createMessageBatch("tern-jobs", [
			message("bad", { type: "no.such.job" }, 3),
			message("good", { type: "account.generate_keys", accountId: user.account.id }),
			message("junk", "not an object"),
		]);
		const retrySpy = vi.spyOn(batch.messages[0] as Message, "retry");
		const ctx = createExecutionContext();
		await handleQueue(batch, env, ctx);
		const result = await getQueueResult(batch, ctx);
		expect(result.explicitAcks).toEqual(["good"]);
		expect(result.retryMessages.map((m) => m.msgId).sort()).toEqual(["bad", "junk"]);
		// Third attempt: 30 s doubled twice, plus up to 20% jitter.
		const delay = retrySpy.mock.calls[0]?.[0]?.delaySeconds ?? 0;
		expect(delay).toBeGreaterThanOrEqual(120);
		expect(delay).toBeLessThanOrEqual(144);
	});

	it("records dead letters in D1 before acking them", async () => {
		const marker = `dead-${Date.now()}`;
		const batch = createMessageBatch("tern-jobs-dlq", [
			message("d1", { type: "account.generate_keys", accountId: marker }, 10),
		]);
		const ctx = createExecutionContext();
		await handleQueue(batch, env, ctx);
		const result = await getQueueResult(batch, ctx);
		expect(result.ackAll).toBe(true);
		const rows = await db().select().from(deadLetters).where(eq(deadLetters.queue, "tern-jobs"));
		expect(rows.some((row) => (row.body as { accountId: string }).accountId === marker)).toBe(true);
	});
});

describe("retry backoff", () => {
	it("doubles from the base and stops at the 12-hour cap", () => {
		expect(retryDelaySeconds(1)).toBeGreaterThanOrEqual(30);
		expect(retryDelaySeconds(1)).toBeLessThanOrEqual(36);
		expect(retryDelaySeconds(4)).toBeGreaterThanOrEqual(240);
		expect(retryDelaySeconds(30)).toBe(12 * 60 * 60);
	});
});
