import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import { sqlRun } from "../../db/queries/raw";
import { mediaAttachments } from "../../db/schema";
import { UnprocessableError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { normalizeTag } from "../../lib/text/status-text";
import { STATUS_LIMITS } from "./limits";

/** Pieces of writing a post shared by creating and editing it. */

export type Statement = BatchItem<"sqlite">;

export function asBatch(statements: Statement[]): [Statement, ...Statement[]] {
	if (statements.length === 0) throw new Error("Empty batch");
	return statements as [Statement, ...Statement[]];
}

export function statusUris(config: InstanceConfig, username: string, id: string) {
	return { uri: `${config.origin}/users/${username}/statuses/${id}`, url: `${config.origin}/@${username}/${id}` };
}

/** Statements that write a post's mentions and tags, creating tags not seen before. */
export function mentionAndTagStatements(db: Db, statusId: string, mentionedIds: string[], tagNames: string[]) {
	const statements: Statement[] = [];
	if (mentionedIds.length > 0) {
		statements.push(
			sqlRun(
				db,
				sql`insert or ignore into mentions (status_id, account_id, silent)
				select ${statusId}, value, 0 from json_each(${JSON.stringify(mentionedIds)})`,
			),
		);
	}
	if (tagNames.length > 0) {
		const now = Date.now();
		const rows = tagNames.map((display) => ({ id: newId(now), name: normalizeTag(display), display }));
		statements.push(
			sqlRun(
				db,
				sql`insert or ignore into tags (id, name, display_name, created_at)
				select json_extract(value, '$.id'), json_extract(value, '$.name'), json_extract(value, '$.display'), ${now}
				from json_each(${JSON.stringify(rows)})`,
			),
			sqlRun(
				db,
				sql`insert or ignore into status_tags (status_id, tag_id)
				select ${statusId}, id from tags where name in (select value from json_each(${JSON.stringify(rows.map((r) => r.name))}))`,
			),
		);
	}
	return statements;
}

/**
 * Checks media ids: at most four, owned by the poster, not attached yet and
 * done processing. Returns their descriptions, in the order given, for the
 * search index.
 */
export async function checkMediaIds(
	db: Db,
	accountId: string,
	mediaIds: string[],
	statusId: string | null = null,
): Promise<(string | null)[]> {
	if (mediaIds.length > STATUS_LIMITS.maxMediaAttachments) {
		throw new ValidationError("media_ids", `Cannot attach more than ${STATUS_LIMITS.maxMediaAttachments} files`);
	}
	if (mediaIds.length === 0) return [];
	const rows = await db
		.select({
			id: mediaAttachments.id,
			accountId: mediaAttachments.accountId,
			statusId: mediaAttachments.statusId,
			description: mediaAttachments.description,
			processing: mediaAttachments.processing,
		})
		.from(mediaAttachments)
		.where(inIdList(mediaAttachments.id, mediaIds));
	for (const id of mediaIds) {
		const row = rows.find((r) => r.id === id);
		if (!row || row.accountId !== accountId) throw new ValidationError("media_ids", `Media ${id} not found`);
		if (row.statusId !== null && row.statusId !== statusId) {
			throw new ValidationError("media_ids", `Media ${id} is already attached to a post`);
		}
	}
	if (rows.some((row) => row.processing)) {
		throw new UnprocessableError("Cannot attach files that have not finished processing. Try again in a moment!");
	}
	return mediaIds.map((id) => rows.find((r) => r.id === id)?.description ?? null);
}
