import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./users";

/**
 * Browser sign-ins to the server's own pages (the OAuth consent screen). The
 * cookie holds a random secret; only its SHA-256 is stored here.
 */
export const webSessions = sqliteTable(
	"web_sessions",
	{
		id: text("id").primaryKey(),
		sessionHash: text("session_hash").notNull(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		userAgent: text("user_agent"),
		/** False between a correct password and the second factor: such a row signs nobody in. */
		verified: integer("verified", { mode: "boolean" }).notNull().default(true),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [uniqueIndex("web_sessions_session_hash").on(t.sessionHash), index("web_sessions_user_id").on(t.userId)],
);

export type WebSession = typeof webSessions.$inferSelect;
