import { instanceConfig } from "../config";
import { serviceContext } from "../context";
import { remoteLookups } from "../federation/lookups";
import { archiveFormat } from "../federation/outbox/archive-items";
import { sanitizeHtml } from "../federation/sanitize";
import { runPurgeStep } from "../services/accounts/deletion";
import { ensureAccountKeys } from "../services/accounts/keys";
import { verifyProfileLinks } from "../services/accounts/link-verification";
import { runMoveFollowersJob } from "../services/accounts/moving";
import { processStoredMedia } from "../services/media/processing";
import { runExportStep } from "../services/portability/archive-export";
import { runBackupStep } from "../services/portability/backups";
import { runImportJob } from "../services/portability/import-jobs";
import { runPushJob } from "../services/push/delivery";
import { streamFeedEntries } from "../services/streaming/publish";
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
			await runQueuedFanOut(ctx.db, job.statusId, (status, live) =>
				streamFeedEntries({ ...ctx, config: instanceConfig(ctx.env) }, status, live),
			);
			return;
		case "push.notification":
			await runPushJob(ctx, job, attempts);
			return;
		case "media.process":
			await processStoredMedia(ctx.db, ctx.env, job.mediaId);
			return;
		case "account.verify_links":
			await verifyProfileLinks(serviceContext(ctx.env, ctx.db), job.accountId);
			return;
		case "account.move_followers":
			await runMoveFollowersJob(ctx, job.fromId, job.toId);
			return;
		case "account.purge":
			await runPurgeStep(ctx, job.accountId);
			return;
		case "export.step": {
			const service = serviceContext(ctx.env, ctx.db);
			await runExportStep(ctx, job.exportId, archiveFormat(service));
			return;
		}
		case "import.step": {
			const service = serviceContext(ctx.env, ctx.db);
			await runImportJob(service, job.importId, { ...remoteLookups(service), sanitize: sanitizeHtml });
			return;
		}
		case "backup.step":
			await runBackupStep(ctx, job.backupId);
			return;
		default: {
			const unknown: never = job;
			throw new Error(`Unknown job type: ${String((unknown as { type?: unknown }).type)}`);
		}
	}
}
