import type { ServiceContext } from "../../context";
import type { Account } from "../../db/schema";
import type { ParsedActivity } from "../parse";

export interface InboxInput {
	activity: ParsedActivity;
	/** The activity's actor, as a (remote) account row; the signature proved it sent this. */
	actor: Account;
	/** The local account whose personal inbox got the activity; null for the shared inbox. */
	recipientAccountId: string | null;
}

/** One handler per activity type; throwing leaves the message for a retry, so each must be idempotent. */
export type InboxHandler = (ctx: ServiceContext, input: InboxInput) => Promise<void>;
