import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { handleScheduled } from "../../src/scheduled";
import { createTestUser } from "../helpers/users";

describe("cron sweep", () => {
	it("queues key generation for local accounts that have no keys", async () => {
		const user = await createTestUser();
		const sent: unknown[] = [];
		const queue = {
			send: async (body: unknown) => void sent.push(body),
			sendBatch: async (batch: { body: unknown }[]) => void sent.push(...batch.map((m) => m.body)),
		};
		await handleScheduled(createScheduledController(), { ...env, JOBS_QUEUE: queue as unknown as Queue });
		expect(sent).toContainEqual({ type: "account.generate_keys", accountId: user.account.id });
	});
});
