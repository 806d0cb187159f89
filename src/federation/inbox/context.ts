import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import type { Account } from "../../db/schema";
import type { ParsedActivity } from "../parse";

/** What a handler gets: bindings, database, settings (a FederationContext plus the queue's env). */
export interface InboxContext {
	env: Env;
	db: Db;
	config: InstanceConfig;
}

export interface InboxInput {
	activity: ParsedActivity;
	/** The activity's actor, as a (remote) account row; the signature proved it sent this. */
	actor: Account;
	/** The local account whose personal inbox got the activity; null for the shared inbox. */
	recipientAccountId: string | null;
}

/** One handler per activity type; throwing leaves the message for a retry, so each must be idempotent. */
export type InboxHandler = (ctx: InboxContext, input: InboxInput) => Promise<void>;
