import { type Account, accounts } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { db } from "./users";

let counter = 0;

/** A remote account as the federation layer would have stored it; no network involved. */
export async function createRemoteAccount(
	options: { domain?: string; username?: string; locked?: boolean } = {},
): Promise<Account> {
	counter++;
	const domain = options.domain ?? "remote.example";
	const username = options.username ?? `remote${Date.now().toString(36)}${counter}`;
	const now = new Date();
	const uri = `https://${domain}/users/${username}`;
	const [row] = await db()
		.insert(accounts)
		.values({
			id: newId(now),
			username,
			domain,
			displayName: `Remote ${username}`,
			uri,
			url: `https://${domain}/@${username}`,
			inboxUrl: `${uri}/inbox`,
			sharedInboxUrl: `https://${domain}/inbox`,
			locked: options.locked ?? false,
			createdAt: now,
			updatedAt: now,
		})
		.returning();
	return row as Account;
}
