import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type DataExport, dataExports } from "../../db/schema";
import { segmentKey } from "./archive-export";

// A finished archive (archive-export.ts builds it): the download, and its removal after a week.

/** The finished zip as one stream: its segments piped in order, so no byte passes through JavaScript. */
export function exportStream(bucket: R2Bucket, row: DataExport): ReadableStream<Uint8Array> {
	const { readable, writable } = new IdentityTransformStream();
	(async () => {
		try {
			for (let n = 0; n < row.segments; n++) {
				const object = await bucket.get(segmentKey(row.id, n));
				if (!object) throw new Error(`Export ${row.id}: segment ${n} is missing`);
				await object.body.pipeTo(writable, { preventClose: true });
			}
			await writable.close();
		} catch (error) {
			await writable.abort(error);
		}
	})();
	return readable;
}

export function exportFilename(row: DataExport): string {
	const stamp = row.createdAt.toISOString().replace(/[-:T]/g, "").slice(0, 14);
	return `archive-${stamp}-${row.id}.zip`;
}

/** Archives older than a week are deleted (their segments from R2); returns how many. */
export async function sweepExpiredExports(db: Db, bucket: R2Bucket, now = new Date()): Promise<number> {
	const expired = await db
		.select()
		.from(dataExports)
		.where(and(eq(dataExports.state, "done"), lt(dataExports.expiresAt, now)))
		.limit(20);
	for (const row of expired) {
		const keys = Array.from({ length: row.segments }, (_, n) => segmentKey(row.id, n));
		for (let start = 0; start < keys.length; start += 1000) await bucket.delete(keys.slice(start, start + 1000));
		await db.update(dataExports).set({ state: "expired", updatedAt: now }).where(eq(dataExports.id, row.id));
	}
	return expired.length;
}
