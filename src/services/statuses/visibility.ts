import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import { blocks, follows, mentions, mutes, type Status, statuses } from "../../db/schema";

/**
 * Who may see a status, in one place:
 * - public and unlisted: anyone, unless the author blocks the viewer;
 * - private: the author, their followers and the accounts it mentions;
 * - direct: the author and the accounts it mentions.
 * A boost is visible when both the boost and the boosted status are.
 */
export interface ViewerRelations {
	viewerId: string | null;
	/** Authors the viewer follows. */
	following: ReadonlySet<string>;
	/** Statuses that mention the viewer. */
	mentioning: ReadonlySet<string>;
	/** Authors who block the viewer. */
	blockedBy: ReadonlySet<string>;
	/** Authors the viewer blocks or mutes: hidden from timelines and threads, not from direct links. */
	hiddenAuthors: ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();

/** Loads the viewer's relations to the authors of `list` in one batch of four queries. */
export async function loadViewerRelations(db: Db, viewerId: string | null, list: Status[]): Promise<ViewerRelations> {
	if (!viewerId || list.length === 0) {
		return { viewerId, following: EMPTY, mentioning: EMPTY, blockedBy: EMPTY, hiddenAuthors: EMPTY };
	}
	const authorIds = [...new Set(list.map((s) => s.accountId))];
	const statusIds = list.map((s) => s.id);
	const [followRows, mentionRows, blockRows, muteRows] = await db.batch([
		db
			.select({ id: follows.targetAccountId })
			.from(follows)
			.where(and(eq(follows.accountId, viewerId), inIdList(follows.targetAccountId, authorIds))),
		db
			.select({ id: mentions.statusId })
			.from(mentions)
			.where(and(eq(mentions.accountId, viewerId), inIdList(mentions.statusId, statusIds))),
		db
			.select({ accountId: blocks.accountId, targetId: blocks.targetAccountId })
			.from(blocks)
			.where(
				and(
					inIdList(blocks.accountId, [...authorIds, viewerId]),
					inIdList(blocks.targetAccountId, [...authorIds, viewerId]),
				),
			),
		db
			.select({ id: mutes.targetAccountId, expiresAt: mutes.expiresAt })
			.from(mutes)
			.where(and(eq(mutes.accountId, viewerId), inIdList(mutes.targetAccountId, authorIds))),
	]);
	const blockedBy = new Set<string>();
	const hiddenAuthors = new Set<string>();
	for (const row of blockRows) {
		if (row.targetId === viewerId && row.accountId !== viewerId) blockedBy.add(row.accountId);
		if (row.accountId === viewerId && row.targetId !== viewerId) hiddenAuthors.add(row.targetId);
	}
	const now = Date.now();
	for (const row of muteRows) if (!row.expiresAt || row.expiresAt.getTime() > now) hiddenAuthors.add(row.id);
	return {
		viewerId,
		following: new Set(followRows.map((r) => r.id)),
		mentioning: new Set(mentionRows.map((r) => r.id)),
		blockedBy,
		hiddenAuthors,
	};
}

/** Whether the viewer may open this one status (its own row; check a boost's original separately). */
export function isVisibleTo(status: Status, relations: ViewerRelations): boolean {
	if (status.deletedAt) return false;
	const viewerId = relations.viewerId;
	if (viewerId === status.accountId) return true;
	if (viewerId && relations.blockedBy.has(status.accountId)) return false;
	switch (status.visibility) {
		case "public":
		case "unlisted":
			return true;
		case "private":
			return viewerId !== null && (relations.following.has(status.accountId) || relations.mentioning.has(status.id));
		case "direct":
			return viewerId !== null && relations.mentioning.has(status.id);
	}
}

/** Visible and not by an author the viewer blocks or mutes: what timelines and threads show. */
export function isShownTo(status: Status, relations: ViewerRelations): boolean {
	return isVisibleTo(status, relations) && !relations.hiddenAuthors.has(status.accountId);
}

/** Whether `viewerId` (null: anonymous) may see `status`, boosted original included. */
export async function canViewStatus(db: Db, viewerId: string | null, status: Status): Promise<boolean> {
	const list = [status];
	if (status.reblogOfId) {
		const [original] = await db.select().from(statuses).where(eq(statuses.id, status.reblogOfId)).limit(1);
		if (!original) return false;
		list.push(original);
	}
	const relations = await loadViewerRelations(db, viewerId, list);
	return list.every((s) => isVisibleTo(s, relations));
}

/** The status if it exists and the viewer may see it; callers answer 404 (never 403) otherwise. */
export async function findVisibleStatus(db: Db, viewerId: string | null, id: string): Promise<Status | undefined> {
	const [status] = await db
		.select()
		.from(statuses)
		.where(and(eq(statuses.id, id), isNull(statuses.deletedAt)))
		.limit(1);
	if (!status || !(await canViewStatus(db, viewerId, status))) return undefined;
	return status;
}
