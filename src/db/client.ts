import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** One Drizzle handle per request: bindings arrive with each invocation. */
export function createDb(d1: D1Database) {
	return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof createDb>;
