import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";
import { type D1Meter, meteredD1 } from "./stats";

/**
 * One Drizzle handle per request: bindings arrive with each invocation. With a
 * meter (benchmark runs only) every query's rows are counted into it.
 */
export function createDb(d1: D1Database, meter?: D1Meter) {
	return drizzle(meter ? meteredD1(d1, meter) : d1, { schema });
}

export type Db = ReturnType<typeof createDb>;
