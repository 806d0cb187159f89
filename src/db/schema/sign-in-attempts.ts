import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Failed password sign-ins, kept briefly to slow down guessing: by account
 * email and by client address. `key` is a SHA-256, never the raw value.
 */
export const signInFailures = sqliteTable(
	"sign_in_failures",
	{
		id: text("id").primaryKey(),
		key: text("key").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("sign_in_failures_key_created_at").on(t.key, t.createdAt)],
);
