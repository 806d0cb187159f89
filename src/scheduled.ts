import { serviceContext } from "./context";
import { createDb } from "./db/client";
import { pruneFederationLogs } from "./federation/housekeeping";
import { ensureInstanceActor } from "./federation/instance-actor";
import { queueMissingKeys } from "./services/accounts/keys";
import { sweepExpiredGrants } from "./services/auth/oauth-sweep";
import { instanceEnv } from "./services/instance/settings";
import { sweepStuckMedia } from "./services/media/sweep";
import { sendHeldMessages } from "./services/moderation/dead-letters";
import { backfillSearchPage } from "./services/search/backfill";

/** Pages of older statuses indexed for search per run (each page is one read and one batch). */
const SEARCH_BACKFILL_PAGES = 3;

/**
 * Periodic upkeep. The instance actor is created if missing (its keys come
 * from the key sweep); old inbox/outbox activity rows are pruned; local
 * accounts whose keys were never made get their key job queued again;
 * expired OAuth codes and browser sessions are deleted; statuses older than
 * search get indexed a few pages at a time; uploads whose processing job was
 * lost get it again.
 */
export async function handleScheduled(_controller: ScheduledController, env: Env): Promise<void> {
	const db = createDb(env.DB);
	await ensureInstanceActor(serviceContext(await instanceEnv(env, db), db));
	await pruneFederationLogs(db);
	await sweepExpiredGrants(db);
	await sweepStuckMedia(db, env.JOBS_QUEUE);
	for (let page = 0; page < SEARCH_BACKFILL_PAGES; page++) if (await backfillSearchPage(db)) break;
	await queueMissingKeys(db, env.JOBS_QUEUE);
	await sendHeldMessages(db, env);
}
