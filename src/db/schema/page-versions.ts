import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A counter per slice of public content (`settings`, `posts`,
 * `account:<acct key>`), raised by triggers (see the page_versions migration)
 * whenever a row behind it changes. Public pages put the counters they depend
 * on into their edge-cache key, so a change reaches every data centre at once.
 */
export const pageVersions = sqliteTable("page_versions", {
	scope: text("scope").primaryKey(),
	version: integer("version").notNull().default(0),
});
