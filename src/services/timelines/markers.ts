import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Marker, type MarkerTimeline, markers } from "../../db/schema";

export async function loadMarkers(db: Db, accountId: string, timelines: MarkerTimeline[]): Promise<Marker[]> {
	if (timelines.length === 0) return [];
	return db
		.select()
		.from(markers)
		.where(and(eq(markers.accountId, accountId), inArray(markers.timeline, timelines)));
}

/** Saves read positions; each save bumps the marker's version. All of them commit together. */
export async function saveMarkers(
	db: Db,
	accountId: string,
	positions: { timeline: MarkerTimeline; lastReadId: string }[],
): Promise<Marker[]> {
	const updatedAt = new Date();
	const statements = positions.map((p) =>
		db
			.insert(markers)
			.values({ accountId, timeline: p.timeline, lastReadId: p.lastReadId, version: 1, updatedAt })
			.onConflictDoUpdate({
				target: [markers.accountId, markers.timeline],
				set: { lastReadId: p.lastReadId, version: sql`${markers.version} + 1`, updatedAt },
			})
			.returning(),
	);
	const [first, ...rest] = statements;
	if (!first) return [];
	const results = await db.batch([first, ...rest]);
	return results.flat();
}
