import { and, eq, isNull, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Status, statuses } from "../../db/schema";

/** A stored, undeleted post by its ActivityPub id or its public URL. */
export async function findStatusByUri(db: Db, uri: string): Promise<Status | undefined> {
	const [row] = await db
		.select()
		.from(statuses)
		.where(and(isNull(statuses.deletedAt), or(eq(statuses.uri, uri), eq(statuses.url, uri))))
		.limit(1);
	return row;
}

export async function findStatusById(db: Db, id: string): Promise<Status | undefined> {
	const [row] = await db
		.select()
		.from(statuses)
		.where(and(eq(statuses.id, id), isNull(statuses.deletedAt)))
		.limit(1);
	return row;
}
