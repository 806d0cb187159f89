import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Queue messages that ran out of retries, kept so that nothing is silently lost. */
export const deadLetters = sqliteTable("dead_letters", {
	id: text("id").primaryKey(),
	queue: text("queue").notNull(),
	body: text("body", { mode: "json" }).notNull(),
	attempts: integer("attempts").notNull(),
	createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});
