import { sql } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import { type Account, accounts } from "../../db/schema";
import { extractEntities, mentionKey, type ResolvedMention } from "../../lib/text/status-text";

export interface TextEntities {
	/** Mention keys (see mentionKey) of the accounts written in the text. */
	mentionKeys: string[];
	/** Tag names as written. */
	tags: string[];
	/** Links as written. */
	urls: string[];
}

export function textEntities(text: string, config: InstanceConfig): TextEntities {
	const found = extractEntities(text);
	return { mentionKeys: found.mentions.map((m) => mentionKey(m, config.domain)), tags: found.tags, urls: found.urls };
}

/** Accounts already known here (local or cached remote) matching mention keys; unknown ones stay text. */
export function mentionedAccountsQuery(db: Db, keys: string[]) {
	return db
		.select()
		.from(accounts)
		.where(inIdList(sql`${accounts.acctKey}`, keys));
}

export function mentionMap(found: Account[]): Map<string, ResolvedMention> {
	return new Map(
		found.map((account) => [
			account.acctKey ?? `${account.username.toLowerCase()}@${account.domain?.toLowerCase() ?? ""}`,
			{ url: account.url ?? account.uri, username: account.username },
		]),
	);
}
