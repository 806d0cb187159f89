import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Instance settings an admin saves from the browser (setup, the admin
 * console), one row per key. Each one overrides the Worker var of the same
 * meaning, so a deployed instance is configured without touching wrangler.toml.
 */
export const instanceSettings = sqliteTable("instance_settings", {
	key: text("key").primaryKey(),
	value: text("value").notNull(),
	updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
