import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Queue messages that ran out of retries, kept so that nothing is silently
 * lost, until an admin replays them. A row with `replayRequestedAt` is a
 * message waiting to be sent (again): a replay asked for from the CLI, or a
 * message the CLI could not send itself; the cron (or the console) sends it.
 */
export const deadLetters = sqliteTable(
	"dead_letters",
	{
		id: text("id").primaryKey(),
		queue: text("queue").notNull(),
		body: text("body", { mode: "json" }).notNull(),
		attempts: integer("attempts").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		replayRequestedAt: integer("replay_requested_at", { mode: "timestamp_ms" }),
	},
	(t) => [index("dead_letters_replay").on(t.replayRequestedAt)],
);

export type DeadLetter = typeof deadLetters.$inferSelect;
