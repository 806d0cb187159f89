import { and, eq, sql } from "drizzle-orm";
import { instanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { type Account, blocks, notifications } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { NotPermittedError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { asBatch } from "../statuses/writes";
import { removeAuthorStatement } from "../timelines/home-feed";
import { removeFollow } from "./following";

/**
 * `blocker` blocks `target`: follows and requests end in both directions,
 * each one's posts leave the other's home feed, and the target's
 * notifications to the blocker go. Blocking again changes nothing.
 */
export async function block(
	db: Db,
	env: Env,
	blocker: Account,
	target: Account,
	options: { uri?: string } = {},
): Promise<void> {
	if (blocker.id === target.id) throw new NotPermittedError();
	const id = newId();
	// The Block's id lets a later Undo find it: the remote one for inbound blocks, ours for outbound.
	const uri = options.uri ?? (target.domain === null ? null : `${instanceConfig(env).origin}/blocks/${id}`);
	await db.batch([
		db
			.insert(blocks)
			.values({ id, accountId: blocker.id, targetAccountId: target.id, uri, createdAt: new Date() })
			.onConflictDoNothing(),
		// A remote target is told, if this block is new.
		...(target.domain === null
			? []
			: [
					publishOutboxEvent(
						db,
						{ type: "block.created", blockId: id },
						{ when: sql`exists (select 1 from blocks where id = ${id})` },
					),
				]),
		removeAuthorStatement(db, blocker.id, target.id),
		removeAuthorStatement(db, target.id, blocker.id),
		db
			.delete(notifications)
			.where(and(eq(notifications.accountId, blocker.id), eq(notifications.fromAccountId, target.id))),
	]);
	// Without outbox events of their own: the remote side ends both follows when the Block arrives.
	await removeFollow(db, blocker.id, target.id);
	await removeFollow(db, target.id, blocker.id);
}

export async function unblock(db: Db, _env: Env, blocker: Account, target: Account): Promise<void> {
	const [found] = await db
		.select({ id: blocks.id, uri: blocks.uri })
		.from(blocks)
		.where(and(eq(blocks.accountId, blocker.id), eq(blocks.targetAccountId, target.id)))
		.limit(1);
	if (!found) return;
	await db.batch(
		asBatch([
			// A remote target is told, if this call is the one that removes the block.
			...(target.domain === null || !found.uri
				? []
				: [
						publishOutboxEvent(
							db,
							{ type: "block.undone", accountId: blocker.id, targetAccountId: target.id, uri: found.uri },
							{ when: sql`exists (select 1 from blocks where id = ${found.id})` },
						),
					]),
			db.delete(blocks).where(eq(blocks.id, found.id)),
		]),
	);
}
