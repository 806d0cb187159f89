import type { SQL } from "drizzle-orm";
import type { Db } from "../client";

/**
 * Raw statements usable both awaited alone and inside db.batch. Drizzle's D1
 * batch binds parameters on a prepared `stmt` that its raw queries lack, so
 * one is attached here.
 */
function batchable<T extends { getQuery(): { sql: string } }>(db: Db, raw: T): T {
	return Object.assign(raw, { stmt: db.$client.prepare(raw.getQuery().sql) });
}

export function sqlRun(db: Db, query: SQL) {
	return batchable(db, db.run(query));
}

export function sqlAll<T>(db: Db, query: SQL) {
	return batchable(db, db.all<T>(query));
}
