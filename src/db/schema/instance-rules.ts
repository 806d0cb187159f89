import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The server's rules, shown at sign-up and in the instance entity, in `position` order. */
export const instanceRules = sqliteTable("instance_rules", {
	id: text("id").primaryKey(),
	text: text("text").notNull(),
	hint: text("hint").notNull().default(""),
	position: integer("position").notNull(),
	createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

export type InstanceRule = typeof instanceRules.$inferSelect;
