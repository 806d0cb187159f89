import { serviceContext } from "./context";
import { createDb } from "./db/client";
import { pruneFederationLogs } from "./federation/housekeeping";
import { ensureInstanceActor } from "./federation/instance-actor";
import { queueMissingKeys } from "./services/accounts/keys";
import { sweepExpiredGrants } from "./services/auth/oauth-sweep";
import { streamStartedAnnouncements } from "./services/instance/announcement-streams";
import { instanceEnv } from "./services/instance/settings";
import { sweepStuckMedia } from "./services/media/sweep";
import { backfillSearchPage } from "./services/search/backfill";
import { refreshTrends } from "./services/trends/refresh";

/** How often the cron runs (wrangler.toml); each run looks back this far for work that came due. */
const CRON_INTERVAL_MS = 10 * 60 * 1000;

/** Pages of older statuses indexed for search per run (each page is one read and one batch). */
const SEARCH_BACKFILL_PAGES = 3;

/**
 * Periodic upkeep. The instance actor is created if missing (its keys come
 * from the key sweep); old inbox/outbox activity rows are pruned; local
 * accounts whose keys were never made get their key job queued again;
 * expired OAuth codes and browser sessions are deleted; statuses older than
 * search get indexed a few pages at a time; uploads whose processing job was
 * lost get it again; trends are scored from the activity since the last run
 * and announcements that came due reach open streams.
 */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
	const db = createDb(env.DB);
	const ctx = serviceContext(await instanceEnv(env, db), db);
	await ensureInstanceActor(ctx);
	// Announcements whose time came since the previous run (every ten minutes) reach open streams.
	const now = new Date(controller.scheduledTime);
	await streamStartedAnnouncements(ctx, new Date(now.getTime() - CRON_INTERVAL_MS), now);
	await pruneFederationLogs(db);
	await sweepExpiredGrants(db);
	await sweepStuckMedia(db, env.JOBS_QUEUE);
	for (let page = 0; page < SEARCH_BACKFILL_PAGES; page++) if (await backfillSearchPage(db)) break;
	await refreshTrends(ctx, now.getTime());
	await queueMissingKeys(db, env.JOBS_QUEUE);
}
