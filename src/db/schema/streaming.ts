import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Which streams each local account has open right now, written by the
 * account's streaming Durable Object when its sockets subscribe or go away.
 * The statements that write home-feed rows, notifications and conversations
 * read it in the same batch, so an event is sent only to an account that is
 * listening, and a public post wakes only the objects of its subscribers.
 * `stream` is `user`, `user:notification`, `direct`, `list:<id>`, `public`,
 * `public:local`, `public:remote` (each also with `:media`), `hashtag:<name>`
 * or `hashtag:local:<name>` (names normalized as tags are).
 */
export const streamSubscriptions = sqliteTable(
	"stream_subscriptions",
	{
		accountId: text("account_id").notNull(),
		stream: text("stream").notNull(),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.stream] }), index("stream_subscriptions_stream").on(t.stream)],
);
