import { createDb, type Db } from "../db/client";
import { backgroundD1Meter } from "../services/usage/invocation";

/**
 * Work that runs after a response is sent (`waitUntil`), with its own
 * database handle: its queries are not the request's, and whatever it
 * publishes is its own to relay. An error is logged, never thrown: what the
 * work stored is still there for the sweeps. Its D1 usage is counted like an
 * invocation's (and logged as `tern-d1 queue=waitUntil.<label> …` under the
 * benchmark, the line queue invocations log, so both are read the same way).
 */
export async function runAfterResponse(env: Env, label: string, work: (db: Db) => Promise<void>): Promise<void> {
	const usage = backgroundD1Meter(env);
	const db = createDb(env.DB, usage.meter);
	try {
		await work(db);
	} catch (error) {
		console.error(`Background ${label} failed`, error);
	} finally {
		await usage.finish(label).catch((error) => console.warn("Background usage not recorded", String(error)));
	}
}
