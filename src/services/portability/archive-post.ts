import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { sqlRun } from "../../db/queries/raw";
import {
	type Account,
	type DataImport,
	importedStatuses,
	type MediaType,
	mediaAttachments,
	type Status,
	statuses,
} from "../../db/schema";
import { newId } from "../../lib/ids";
import { AUDIO_MIME_TYPES, MEDIA_FILE_EXTENSIONS, MEDIA_LIMITS, VIDEO_MIME_TYPES } from "../../lib/limits";
import { htmlToPlainText } from "../../lib/text/html";
import { indexStatements } from "../search/indexing";
import { asBatch, mentionAndTagStatements, type Statement, statusUris } from "../statuses/writes";
import {
	type ArchiveAttachment,
	type ArchivePost,
	boostContent,
	originFooter,
	splitOriginFooter,
} from "./archive-items";
import { entryStream, type OpenArchive } from "./zip-archive";

/** What the queue layer hands in from federation: remote HTML is cleaned by its sanitizer. */
export interface ArchiveImportDeps {
	sanitize(html: string): Promise<string>;
}

/** One archive item written as a post of the member's: its files re-hosted here, its rows in one batch. */

export interface RehostedMedia {
	id: string;
	type: MediaType;
	fileKey: string;
	contentType: string;
	size: number;
	attachment: ArchiveAttachment;
}

function mediaTypeOf(contentType: string): MediaType | null {
	if (contentType.startsWith("image/")) return MEDIA_FILE_EXTENSIONS[contentType] ? "image" : null;
	if ((VIDEO_MIME_TYPES as readonly string[]).includes(contentType)) return "video";
	if ((AUDIO_MIME_TYPES as readonly string[]).includes(contentType)) return "audio";
	return null;
}

/** The post's files copied out of the zip into this server's media storage; what cannot be taken is left out. */
export async function rehostMedia(
	ctx: ServiceContext,
	archive: OpenArchive,
	attachments: ArchiveAttachment[],
	skipped: string[],
): Promise<RehostedMedia[]> {
	const out: RehostedMedia[] = [];
	for (const attachment of attachments.slice(0, 4)) {
		const entry = archive.entries.get(attachment.path);
		const contentType = (attachment.mediaType ?? "").toLowerCase();
		const type = mediaTypeOf(contentType);
		if (!entry || !type) {
			skipped.push(attachment.path);
			continue;
		}
		const limit = type === "image" ? MEDIA_LIMITS.imageSizeLimit : MEDIA_LIMITS.videoSizeLimit;
		if (entry.uncompressedSize > limit) {
			skipped.push(attachment.path);
			continue;
		}
		const id = newId();
		const fileKey = `media/${id}/original.${MEDIA_FILE_EXTENSIONS[contentType] ?? "bin"}`;
		await ctx.env.MEDIA.put(fileKey, entryStream(entry), {
			httpMetadata: { contentType, cacheControl: "public, max-age=31536000, immutable" },
		});
		out.push({ id, type, fileKey, contentType, size: entry.uncompressedSize, attachment });
	}
	return out;
}

export async function writeImportedPost(
	ctx: ServiceContext,
	row: DataImport,
	account: Account,
	post: ArchivePost,
	parent: Status | null,
	media: RehostedMedia[],
	deps: ArchiveImportDeps,
): Promise<void> {
	const { db, config } = ctx;
	const at = post.published;
	const id = newId(at);
	let content: string;
	let spoilerText = "";
	let sensitive = false;
	let language: string | null = null;
	let inReplyToUri: string | null = null;
	let tags: string[] = [];
	if (post.kind === "boost") {
		content = boostContent(post.objectUri);
	} else {
		const { content: body, origin } = splitOriginFooter(await deps.sanitize(post.html), post.url);
		inReplyToUri = parent ? null : post.inReplyTo;
		content = `${body}${originFooter(origin, inReplyToUri)}`;
		spoilerText = post.summary;
		sensitive = post.sensitive || post.summary !== "";
		language = post.language;
		tags = post.tags;
	}
	const pollId = post.kind === "note" && post.poll ? newId(at) : null;
	const statements: Statement[] = [
		db.insert(statuses).values({
			id,
			...statusUris(config, account.username, id),
			accountId: account.id,
			local: true,
			inReplyToId: parent?.id ?? null,
			inReplyToAccountId: parent ? account.id : null,
			inReplyToUri,
			// The text as typed is not in an archive; editing starts from the words of the post.
			text: htmlToPlainText(content.replace(/<p>Originally published at .*<\/p>$/, "")),
			content,
			spoilerText,
			visibility: post.visibility,
			sensitive,
			language,
			conversationId: parent?.conversationId ?? newId(at),
			pollId,
			createdAt: at,
		}),
		db.insert(importedStatuses).values({
			accountId: account.id,
			sourceUri: post.sourceUri,
			statusId: id,
			importId: row.id,
			createdAt: new Date(),
		}),
		...mentionAndTagStatements(db, id, [], tags),
		...indexStatements(db, {
			id,
			content,
			spoilerText,
			pollOptions: post.kind === "note" ? post.poll?.options.map((o) => o.title) : undefined,
			mediaDescriptions: media.map((m) => m.attachment.description),
		}),
		sqlRun(
			db,
			sql`update accounts set statuses_count = statuses_count + 1,
			last_status_at = max(coalesce(last_status_at, 0), ${at.getTime()}) where id = ${account.id}`,
		),
	];
	if (parent) {
		statements.push(sqlRun(db, sql`update statuses set replies_count = replies_count + 1 where id = ${parent.id}`));
	}
	if (post.kind === "note" && post.poll && pollId) {
		const poll = post.poll;
		const votes = poll.options.reduce((sum, option) => sum + option.votes, 0);
		statements.push(
			sqlRun(
				db,
				sql`insert into polls (id, status_id, account_id, options, multiple, hide_totals, votes_count,
				voters_count, expires_at, created_at, updated_at)
				values (${pollId}, ${id}, ${account.id},
				${JSON.stringify(poll.options.map((option) => ({ title: option.title, votesCount: option.votes })))},
				${poll.multiple ? 1 : 0}, 0, ${votes}, ${poll.voters ?? (poll.multiple ? null : votes)},
				${poll.endsAt?.getTime() ?? at.getTime()}, ${at.getTime()}, ${Date.now()})`,
			),
		);
	}
	if (media.length > 0) {
		statements.push(
			db.insert(mediaAttachments).values(
				media.map((m) => ({
					id: m.id,
					accountId: account.id,
					statusId: id,
					type: m.type,
					fileKey: m.fileKey,
					contentType: m.contentType,
					fileSize: m.size,
					width: m.attachment.width,
					height: m.attachment.height,
					blurhash: m.attachment.blurhash,
					description: m.attachment.description,
					focusX: m.attachment.focus?.[0] ?? null,
					focusY: m.attachment.focus?.[1] ?? null,
					createdAt: at,
				})),
			),
		);
	}
	await db.batch(asBatch(statements));
}
