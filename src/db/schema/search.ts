import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { statuses } from "./statuses";

/**
 * Full-text search over statuses, kept in plain tables rather than an FTS5
 * virtual table: `wrangler d1 export` refuses databases holding virtual
 * tables, and backups matter more than ranking. Rows are written in the same
 * batch as the status they describe (see services/search/indexing.ts).
 */

/** The inverted index: one row per distinct term of a status, read per term newest first. */
export const statusSearchTerms = sqliteTable(
	"status_search_terms",
	{
		term: text("term").notNull(),
		statusId: text("status_id").notNull(),
	},
	(t) => [primaryKey({ columns: [t.term, t.statusId] })],
);

/**
 * What was indexed for a status: its folded text (for phrases and runs of
 * Han/kana/Hangul, checked with instr) and its terms (to remove exactly those
 * rows when the status changes or goes).
 */
export const statusSearchDocuments = sqliteTable("status_search_documents", {
	statusId: text("status_id")
		.primaryKey()
		.references(() => statuses.id, { onDelete: "cascade" }),
	text: text("text").notNull(),
	terms: text("terms", { mode: "json" }).$type<string[]>().notNull(),
	/** Links somewhere other than a mention or hashtag (`has:link`). */
	hasLink: integer("has_link", { mode: "boolean" }).notNull().default(false),
});

/** Progress of indexing statuses written before search existed (see services/search/backfill.ts). */
export const searchBackfill = sqliteTable("search_backfill", {
	id: text("id").primaryKey(),
	/** Statuses with smaller ids are still to do; null before the first page. */
	beforeId: text("before_id"),
	doneAt: integer("done_at", { mode: "timestamp_ms" }),
});
