import type { Db } from "../db/client";
import { ensureAccountKeys } from "../services/account-keys";
import type { JobMessage } from "./messages";

export interface JobContext {
	env: Env;
	db: Db;
}

/** Runs one background job; throwing leaves the message for a retry. */
export async function runJob(job: JobMessage, ctx: JobContext): Promise<void> {
	switch (job.type) {
		case "account.generate_keys":
			await ensureAccountKeys(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET, job.accountId);
			return;
		default: {
			const unknown: never = job.type;
			throw new Error(`Unknown job type: ${String(unknown)}`);
		}
	}
}
