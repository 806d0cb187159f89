import { ensureAccountKeys } from "../services/accounts/keys";
import { processStoredMedia } from "../services/media/processing";
import { runPushJob } from "../services/push/delivery";
import { runQueuedFanOut } from "../services/timelines/fanout-job";
import type { JobMessage, QueueContext } from "./messages";

function isJobMessage(body: unknown): body is JobMessage {
	return typeof body === "object" && body !== null && typeof (body as { type?: unknown }).type === "string";
}

/** Runs one background job; throwing leaves the message for a retry. */
export async function runJob(body: unknown, ctx: QueueContext, attempts = 1): Promise<void> {
	if (!isJobMessage(body)) throw new Error("Malformed job message");
	const job = body;
	switch (job.type) {
		case "account.generate_keys":
			await ensureAccountKeys(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET, job.accountId);
			return;
		case "timeline.fanout":
			await runQueuedFanOut(ctx.db, job.statusId);
			return;
		case "push.notification":
			await runPushJob(ctx, job, attempts);
			return;
		case "media.process":
			await processStoredMedia(ctx.db, ctx.env, job.mediaId);
			return;
		default: {
			const unknown: never = job;
			throw new Error(`Unknown job type: ${String((unknown as { type?: unknown }).type)}`);
		}
	}
}
