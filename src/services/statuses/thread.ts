import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlAll } from "../../db/queries/raw";
import type { Status } from "../../db/schema";
import { STATUS_LIMITS } from "./limits";

export interface ThreadIds {
	/** Oldest first, ending with the direct parent. */
	ancestors: string[];
	/** Depth-first, each reply after its parent, siblings oldest first. */
	descendants: string[];
}

/** Walks a thread both ways with two recursive queries in one batch, bounded as Mastodon bounds it. */
export async function threadIds(db: Db, status: Status): Promise<ThreadIds> {
	const [up, down] = await db.batch([
		sqlAll<{ id: string; depth: number }>(
			db,
			sql`
			with recursive up(id, parent, depth) as (
				select id, in_reply_to_id, 0 from statuses where id = ${status.id}
				union all
				select s.id, s.in_reply_to_id, up.depth + 1 from statuses s join up on s.id = up.parent
				where up.depth < ${STATUS_LIMITS.maxContextAncestors}
			)
			select id, depth from up where depth > 0 order by depth desc`,
		),
		sqlAll<{ id: string; parent: string }>(
			db,
			sql`
			with recursive down(id, parent, n) as (
				select id, in_reply_to_id, 1 from statuses where in_reply_to_id = ${status.id}
				union all
				select s.id, s.in_reply_to_id, down.n + 1 from statuses s join down on s.in_reply_to_id = down.id
				limit ${STATUS_LIMITS.maxContextDescendants}
			)
			select id, parent from down order by id`,
		),
	]);
	const children = new Map<string, string[]>();
	for (const row of down) {
		const list = children.get(row.parent) ?? [];
		list.push(row.id);
		children.set(row.parent, list);
	}
	const descendants: string[] = [];
	const walk = (id: string) => {
		for (const child of children.get(id) ?? []) {
			descendants.push(child);
			walk(child);
		}
	};
	walk(status.id);
	return { ancestors: up.map((r) => r.id), descendants };
}
