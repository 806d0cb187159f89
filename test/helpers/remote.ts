import { sql } from "drizzle-orm";
import { accounts, follows } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { db } from "./users";

let counter = 0;

/** A remote account as the actor cache would store it; usernames are unique per call. */
export async function createRemoteAccount(
	options: { domain?: string; username?: string; sharedInbox?: boolean | string; locked?: boolean } = {},
) {
	counter++;
	const domain = options.domain ?? `remote${Date.now().toString(36)}${counter}.example`;
	const username = options.username ?? `r${Date.now().toString(36)}${counter}`;
	const uri = `https://${domain}/users/${username}`;
	const now = new Date();
	const shared =
		options.sharedInbox === false
			? null
			: typeof options.sharedInbox === "string"
				? options.sharedInbox
				: `https://${domain}/inbox`;
	const [account] = await db()
		.insert(accounts)
		.values({
			id: newId(),
			username,
			domain,
			uri,
			url: `https://${domain}/@${username}`,
			inboxUrl: `${uri}/inbox`,
			sharedInboxUrl: shared,
			followersUrl: `${uri}/followers`,
			outboxUrl: `${uri}/outbox`,
			locked: options.locked ?? false,
			fetchedAt: now,
			createdAt: now,
			updatedAt: now,
		})
		.returning();
	if (!account) throw new Error("insert failed");
	return account;
}

/** `followerId` follows `targetId`, directly in the table (no side effects). */
export async function insertFollow(followerId: string, targetId: string) {
	await db()
		.insert(follows)
		.values({ id: newId(), accountId: followerId, targetAccountId: targetId, createdAt: new Date() });
}

/**
 * Many remote followers of `targetId` at once (`perHost` on each of `hosts`
 * hosts sharing an inbox), written with two statements.
 */
export async function insertRemoteFollowers(targetId: string, hosts: number, perHost: number): Promise<void> {
	const stamp = `${Date.now().toString(36)}${++counter}`;
	const rows = [];
	for (let host = 0; host < hosts; host++) {
		for (let n = 0; n < perHost; n++) {
			rows.push({ id: newId(), username: `f${n}`, domain: `h${host}-${stamp}.example` });
		}
	}
	const now = Date.now();
	const json = JSON.stringify(rows);
	await db().run(sql`insert into accounts (id, username, domain, uri, inbox_url, shared_inbox_url, created_at, updated_at)
		select json_extract(value, '$.id'), json_extract(value, '$.username'), json_extract(value, '$.domain'),
			'https://' || json_extract(value, '$.domain') || '/users/' || json_extract(value, '$.username'),
			'https://' || json_extract(value, '$.domain') || '/users/' || json_extract(value, '$.username') || '/inbox',
			'https://' || json_extract(value, '$.domain') || '/inbox', ${now}, ${now}
		from json_each(${json})`);
	await db().run(sql`insert into follows (id, account_id, target_account_id, created_at)
		select json_extract(value, '$.id') || 'f', json_extract(value, '$.id'), ${targetId}, ${now} from json_each(${json})`);
}
