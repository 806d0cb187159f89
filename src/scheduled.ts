import { and, eq, isNull } from "drizzle-orm";
import { serviceContext } from "./context";
import { createDb } from "./db/client";
import { accountKeys, accounts } from "./db/schema";
import { pruneFederationLogs } from "./federation/housekeeping";
import { ensureInstanceActor } from "./federation/instance-actor";
import type { JobMessage } from "./queues/messages";
import { sweepExpiredGrants } from "./services/auth/oauth-sweep";
import { sweepStuckMedia } from "./services/media/sweep";
import { backfillSearchPage } from "./services/search/backfill";

const KEY_SWEEP_LIMIT = 100;
/** Pages of older statuses indexed for search per run (each page is one read and one batch). */
const SEARCH_BACKFILL_PAGES = 3;

/**
 * Periodic upkeep. The instance actor is created if missing (its keys come
 * from the sweep below); old inbox/outbox activity rows are pruned; local
 * accounts whose keys were never made (a lost queue message, a secret set
 * late) get their key job queued again; expired OAuth codes and browser
 * sessions are deleted; statuses older than search get indexed a few pages at a time;
 * uploads whose processing job was lost get it again.
 */
export async function handleScheduled(_controller: ScheduledController, env: Env): Promise<void> {
	const db = createDb(env.DB);
	await ensureInstanceActor(serviceContext(env, db));
	await pruneFederationLogs(db);
	await sweepExpiredGrants(db);
	await sweepStuckMedia(db, env.JOBS_QUEUE);
	for (let page = 0; page < SEARCH_BACKFILL_PAGES; page++) if (await backfillSearchPage(db)) break;
	const missing = await db
		.select({ id: accounts.id })
		.from(accounts)
		.leftJoin(accountKeys, eq(accountKeys.accountId, accounts.id))
		.where(and(isNull(accounts.domain), isNull(accountKeys.accountId)))
		.limit(KEY_SWEEP_LIMIT);
	if (missing.length === 0) return;
	await env.JOBS_QUEUE.sendBatch(
		missing.map(({ id }) => ({ body: { type: "account.generate_keys", accountId: id } satisfies JobMessage })),
	);
}
