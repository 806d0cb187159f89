import { createDb, type Db } from "../db/client";
import { benchMeter } from "../db/stats";

/**
 * Work that runs after a response is sent (`waitUntil`), with its own
 * database handle: its queries are not the request's, and whatever it
 * publishes is its own to relay. An error is logged, never thrown: what the
 * work stored is still there for the sweeps. With the benchmark's D1
 * accounting on, it logs its usage as `tern-d1 queue=waitUntil.<label> …`,
 * the line queue invocations log, so both are read the same way.
 */
export async function runAfterResponse(env: Env, label: string, work: (db: Db) => Promise<void>): Promise<void> {
	const meter = benchMeter(env);
	const db = createDb(env.DB, meter);
	try {
		await work(db);
	} catch (error) {
		console.error(`Background ${label} failed`, error);
	} finally {
		if (meter) {
			meter.flushLog(`waitUntil.${label}`);
			console.log(`tern-d1 queue=waitUntil.${label} messages=1; ${meter.summary()}`);
		}
	}
}
