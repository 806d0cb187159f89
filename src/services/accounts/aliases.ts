import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { ValidationError } from "../../lib/errors";

/** Mastodon keeps at most this many aliases; a longer list is a mistake, not a need. */
export const MAX_ALIASES = 10;

async function saveAliases(db: Db, account: Account, list: string[]) {
	const now = new Date();
	const [[updated]] = await db.batch([
		db.update(accounts).set({ alsoKnownAs: list, updatedAt: now }).where(eq(accounts.id, account.id)).returning(),
		// Peers read alsoKnownAs from the actor before honouring a Move to this account.
		publishOutboxEvent(db, { type: "account.updated", accountId: account.id }),
	]);
	return updated as Account;
}

/**
 * Lists `alias` (an account elsewhere, already resolved) as another name of
 * `account`: the actor then carries it in `alsoKnownAs`, which is what lets
 * the old account move here.
 */
export async function addAlias(db: Db, account: Account, alias: Account): Promise<Account> {
	if (alias.id === account.id) throw new ValidationError("acct", "An account cannot be an alias of itself");
	if (account.alsoKnownAs.includes(alias.uri)) return account;
	if (account.alsoKnownAs.length >= MAX_ALIASES) {
		throw new ValidationError("acct", `At most ${MAX_ALIASES} aliases can be listed`);
	}
	return saveAliases(db, account, [...account.alsoKnownAs, alias.uri]);
}

export async function removeAlias(db: Db, account: Account, uri: string): Promise<Account> {
	if (!account.alsoKnownAs.includes(uri)) return account;
	return saveAliases(
		db,
		account,
		account.alsoKnownAs.filter((known) => known !== uri),
	);
}
