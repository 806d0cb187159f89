import { and, eq } from "drizzle-orm";
import { instanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { type Account, blocks, notifications } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { NotPermittedError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { streamViewerChanged } from "../streaming/publish";
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
	const [inserted] = await db.batch([
		db
			.insert(blocks)
			.values({ id, accountId: blocker.id, targetAccountId: target.id, uri, createdAt: new Date() })
			.onConflictDoNothing()
			.returning({ id: blocks.id }),
		removeAuthorStatement(db, blocker.id, target.id),
		removeAuthorStatement(db, target.id, blocker.id),
		db
			.delete(notifications)
			.where(and(eq(notifications.accountId, blocker.id), eq(notifications.fromAccountId, target.id))),
	]);
	// Without outbox events of their own: the remote side ends both follows when the Block arrives.
	await removeFollow(db, blocker.id, target.id);
	await removeFollow(db, target.id, blocker.id);
	if (target.domain !== null && inserted.length > 0)
		await publishOutboxEvent(env, { type: "block.created", blockId: id });
	await streamViewerChanged({ env, db }, [blocker.id, target.id]);
}

export async function unblock(db: Db, env: Env, blocker: Account, target: Account): Promise<void> {
	const removed = await db
		.delete(blocks)
		.where(and(eq(blocks.accountId, blocker.id), eq(blocks.targetAccountId, target.id)))
		.returning({ uri: blocks.uri });
	const uri = removed[0]?.uri;
	await streamViewerChanged({ env, db }, [blocker.id, target.id]);
	if (target.domain === null || !uri) return;
	await publishOutboxEvent(env, { type: "block.undone", accountId: blocker.id, targetAccountId: target.id, uri });
}
