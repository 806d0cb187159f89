import { serviceContext } from "./context";
import { createDb } from "./db/client";
import { isInboxPruneRun, pruneFederationLogs } from "./federation/housekeeping";
import { sweepInbox } from "./federation/inbox/sweep";
import { ensureInstanceActor } from "./federation/instance-actor";
import { sweepOutbox } from "./federation/outbox/sweep";
import { queueMissingKeys } from "./services/accounts/keys";
import { sweepExpiredGrants } from "./services/auth/oauth-sweep";
import { streamStartedAnnouncements } from "./services/instance/announcement-streams";
import { domainState } from "./services/instance/domain";
import { cachedInstanceSettings, envWithSettings } from "./services/instance/settings";
import { sweepStuckMedia } from "./services/media/sweep";
import { sendHeldMessages } from "./services/moderation/dead-letters";
import { resumeStalledExports } from "./services/portability/archive-export";
import { resumeStalledImports } from "./services/portability/archive-import";
import { startDueBackup } from "./services/portability/backups";
import { sweepExpiredExports } from "./services/portability/finished-exports";
import { backfillSearchPage } from "./services/search/backfill";
import { refreshTrends } from "./services/trends/refresh";
import { finishInvocation, startInvocation } from "./services/usage/invocation";

/** How often the cron runs (wrangler.toml); each run looks back this far for work that came due. */
const CRON_INTERVAL_MS = 10 * 60 * 1000;

/** Pages of older statuses indexed for search per run (each page is one read and one batch). */
const SEARCH_BACKFILL_PAGES = 3;

/**
 * Periodic upkeep. Once the instance has a real domain to put in URIs:
 * federation work that a dead isolate or a lost message left behind goes
 * back to the queues (outbox events not relayed, deliveries without a live
 * message, inbound activities not processed), and the instance actor is
 * created if missing (its keys come from the key sweep). Always:
 * announcements that came due reach open streams; old inbox/outbox activity
 * rows are pruned; local accounts whose keys were never made get their key
 * job queued again; expired OAuth codes and browser sessions are deleted;
 * statuses older than search get indexed a few pages at a time; uploads whose
 * processing job was lost get it again; trends are scored from the activity
 * since the last run; members' archives older than a week are deleted, and
 * exports and imports whose next step was lost get it again; an admin backup
 * starts when one is due.
 */
export async function handleScheduled(
	controller: ScheduledController,
	rawEnv: Env,
	exec?: Pick<ExecutionContext, "waitUntil">,
): Promise<void> {
	const invocation = startInvocation(rawEnv, "cron");
	try {
		await upkeep(controller, invocation.env, createDb(invocation.env.DB, invocation.usage.d1));
	} finally {
		finishInvocation(invocation, exec ?? { waitUntil: () => {} });
	}
}

async function upkeep(controller: ScheduledController, env: Env, db: ReturnType<typeof createDb>): Promise<void> {
	const settings = await cachedInstanceSettings(env, db);
	const domain = domainState(env, settings.domain);
	const now = Date.now();
	const ctx = serviceContext(envWithSettings(env, settings), db);
	if (domain.effective && !domain.placeholder && !domain.conflict) {
		// A failing sweep must not hold back the rest of the upkeep (nor the other sweep).
		await sweepOutbox(ctx, now).catch((error) => console.error("Outbox sweep failed", error));
		await sweepInbox(ctx, now).catch((error) => console.error("Inbox sweep failed", error));
		await ensureInstanceActor(ctx);
	}
	// Announcements whose time came since the previous run (every ten minutes) reach open streams.
	const scheduled = controller.scheduledTime;
	await streamStartedAnnouncements(ctx, new Date(scheduled - CRON_INTERVAL_MS), new Date(scheduled));
	await pruneFederationLogs(db, now, { inbox: isInboxPruneRun(controller.scheduledTime) });
	await sweepExpiredGrants(db);
	await sweepStuckMedia(db, env.JOBS_QUEUE);
	for (let page = 0; page < SEARCH_BACKFILL_PAGES; page++) if (await backfillSearchPage(db)) break;
	await refreshTrends(ctx, scheduled);
	await queueMissingKeys(db, env.JOBS_QUEUE);
	await sweepExpiredExports(db, env.MEDIA);
	await resumeStalledExports(db, env.JOBS_QUEUE);
	await resumeStalledImports(db, env.JOBS_QUEUE);
	await startDueBackup({ db, env });
	await sendHeldMessages(db, env);
}
