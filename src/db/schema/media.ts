import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

export const MEDIA_TYPES = ["image", "gifv", "video", "audio", "unknown"] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Uploaded files (kept in R2 under `fileKey`) and attachments of remote posts (`remoteUrl`). */
export const mediaAttachments = sqliteTable(
	"media_attachments",
	{
		id: text("id").primaryKey(),
		accountId: text("account_id")
			.notNull()
			.references(() => accounts.id, { onDelete: "cascade" }),
		/** Null until the upload is attached to a post. */
		statusId: text("status_id"),
		type: text("type", { enum: MEDIA_TYPES }).notNull(),
		fileKey: text("file_key"),
		thumbnailKey: text("thumbnail_key"),
		remoteUrl: text("remote_url"),
		contentType: text("content_type"),
		fileSize: integer("file_size"),
		width: integer("width"),
		height: integer("height"),
		blurhash: text("blurhash"),
		/** True while an upload's blurhash and small version are still being made by the jobs queue. */
		processing: integer("processing", { mode: "boolean" }).notNull().default(false),
		description: text("description"),
		focusX: real("focus_x"),
		focusY: real("focus_y"),
		createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
	},
	(t) => [index("media_attachments_status_id").on(t.statusId), index("media_attachments_account_id").on(t.accountId)],
);

export type MediaAttachment = typeof mediaAttachments.$inferSelect;
