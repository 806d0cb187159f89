import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export const EXPORT_STATES = ["running", "done", "failed", "expired"] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

/**
 * A member's archive (Mastodon's backup zip), built by the jobs queue one
 * step at a time. Each step writes one segment object to R2; the download
 * streams the segments in order. `progress` is the step's own cursor.
 */
export const dataExports = sqliteTable(
	"data_exports",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		state: text("state", { enum: EXPORT_STATES }).notNull(),
		/** Where the build is: a JSON cursor only the export steps read. */
		progress: text("progress", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
		/** Bytes of the finished zip (sum of its segments). */
		size: integer("size").notNull().default(0),
		segments: integer("segments").notNull().default(0),
		error: text("error"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
		finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
		expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
	},
	(t) => [index("data_exports_account").on(t.accountId, t.id)],
);

export const IMPORT_TYPES = [
	"following",
	"blocking",
	"muting",
	"domain_blocking",
	"bookmarks",
	"lists",
	"archive",
] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];
export const IMPORT_STATES = ["uploading", "queued", "running", "done", "failed"] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/**
 * A CSV or archive import. Rows are processed by the jobs queue; counters
 * feed the progress bar. An archive import also has its uploaded file in R2
 * (`fileKey`, received as an R2 multipart upload) and a cursor in `progress`.
 */
export const dataImports = sqliteTable(
	"data_imports",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		type: text("type", { enum: IMPORT_TYPES }).notNull(),
		overwrite: integer("overwrite", { mode: "boolean" }).notNull().default(false),
		state: text("state", { enum: IMPORT_STATES }).notNull(),
		originalFilename: text("original_filename"),
		totalItems: integer("total_items").notNull().default(0),
		processedItems: integer("processed_items").notNull().default(0),
		importedItems: integer("imported_items").notNull().default(0),
		/** Archive uploads: the object key, the R2 multipart upload id while uploading. */
		fileKey: text("file_key"),
		uploadId: text("upload_id"),
		progress: text("progress", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
		error: text("error"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
		finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
	},
	(t) => [index("data_imports_account").on(t.accountId, t.id), index("data_imports_state").on(t.state, t.updatedAt)],
);

export const IMPORT_ROW_STATES = ["pending", "imported", "failed", "skipped"] as const;
export type ImportRowState = (typeof IMPORT_ROW_STATES)[number];

/**
 * One row of an import: a CSV line, or one item of an archive's outbox. A
 * row is processed once; its outcome (and why it failed or was skipped) is
 * what the page's report lists.
 */
export const dataImportRows = sqliteTable(
	"data_import_rows",
	{
		importId: text("import_id")
			.notNull()
			.references(() => dataImports.id, { onDelete: "cascade" }),
		position: integer("position").notNull(),
		data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
		state: text("state", { enum: IMPORT_ROW_STATES }).notNull().default("pending"),
		reason: text("reason"),
	},
	(t) => [primaryKey({ columns: [t.importId, t.position] }), index("data_import_rows_state").on(t.importId, t.state)],
);

/**
 * Posts brought in from an archive, by the id they had where they were first
 * published: importing the same archive again finds them and adds nothing.
 */
export const importedStatuses = sqliteTable(
	"imported_statuses",
	{
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		sourceUri: text("source_uri").notNull(),
		statusId: text("status_id").notNull(),
		importId: text("import_id"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [primaryKey({ columns: [t.accountId, t.sourceUri] }), uniqueIndex("imported_statuses_status").on(t.statusId)],
);

/**
 * A local account being deleted by its owner: the account row stays (its
 * keys sign the Delete, its name is never given out again) while the jobs
 * queue removes what it held. The actor answers 410 Gone from then on.
 */
export const accountDeletions = sqliteTable("account_deletions", {
	accountId: text("account_id")
		.primaryKey()
		.references(() => accounts.id, { onDelete: "cascade" }),
	state: text("state", { enum: ["running", "done"] }).notNull(),
	requestedAt: integer("requested_at", { mode: "timestamp_ms" }).notNull(),
	finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
});

export const BACKUP_STATES = ["running", "done", "failed"] as const;
export type BackupState = (typeof BACKUP_STATES)[number];

/**
 * An admin backup: every table written to R2 as gzip chunks of NDJSON, with a
 * manifest of row counts and checksums (`manifest`, also stored in R2 next to
 * the chunks so a restore needs nothing but the bucket).
 */
export const backups = sqliteTable(
	"backups",
	{
		id: text("id").primaryKey(),
		state: text("state", { enum: BACKUP_STATES }).notNull(),
		progress: text("progress", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
		size: integer("size").notNull().default(0),
		tables: integer("tables").notNull().default(0),
		rows: integer("rows").notNull().default(0),
		error: text("error"),
		startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
		updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
		finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
	},
	(t) => [index("backups_started").on(t.startedAt)],
);

export type DataExport = typeof dataExports.$inferSelect;
export type DataImport = typeof dataImports.$inferSelect;
export type DataImportRow = typeof dataImportRows.$inferSelect;
export type Backup = typeof backups.$inferSelect;
