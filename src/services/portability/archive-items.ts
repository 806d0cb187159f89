import type { Visibility } from "../../db/schema";
import { escapeHtml } from "../../lib/text/html";

/**
 * Reading one item of a Mastodon archive's outbox.json: a Create of a Note
 * (or Question), or an Announce. Only what a post here needs is taken; the
 * values are checked, since an archive is a file anyone can edit.
 */

const PUBLIC = new Set(["https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"]);

export interface ArchiveAttachment {
	path: string;
	mediaType: string | null;
	description: string | null;
	blurhash: string | null;
	focus: [number, number] | null;
	width: number | null;
	height: number | null;
}

export interface ArchivePoll {
	options: { title: string; votes: number }[];
	multiple: boolean;
	endsAt: Date | null;
	voters: number | null;
}

export type ArchivePost =
	| {
			kind: "note";
			sourceUri: string;
			url: string;
			published: Date;
			visibility: Visibility;
			html: string;
			summary: string;
			sensitive: boolean;
			language: string | null;
			inReplyTo: string | null;
			tags: string[];
			attachments: ArchiveAttachment[];
			poll: ArchivePoll | null;
	  }
	| { kind: "boost"; sourceUri: string; published: Date; visibility: Visibility; objectUri: string };

export type ReadItem = { ok: true; post: ArchivePost } | { ok: false; uri: string; reason: string };

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const list = (value: unknown): unknown[] =>
	Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
const ids = (value: unknown): string[] =>
	list(value)
		.map((entry) => (typeof entry === "string" ? entry : text((entry as { id?: unknown })?.id)))
		.filter((entry): entry is string => entry !== null);

function date(value: unknown): Date | null {
	const parsed = typeof value === "string" ? new Date(value) : null;
	return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
}

/** Mastodon's addressing read back: Public in to, Public in cc, followers, or only the people named. */
export function visibilityOf(to: string[], cc: string[]): Visibility {
	if (to.some((uri) => PUBLIC.has(uri))) return "public";
	if (cc.some((uri) => PUBLIC.has(uri))) return "unlisted";
	if ([...to, ...cc].some((uri) => uri.endsWith("/followers"))) return "private";
	return "direct";
}

function attachmentOf(value: unknown): ArchiveAttachment | null {
	const entry = value as Record<string, unknown> | null;
	const url = text(entry?.url) ?? text((list(entry?.url)[0] as { href?: unknown } | undefined)?.href);
	if (!entry || !url) return null;
	const focal = Array.isArray(entry.focalPoint) ? entry.focalPoint.map(Number) : null;
	return {
		path: url.replace(/^\/+/, ""),
		mediaType: text(entry.mediaType),
		description: text(entry.name),
		blurhash: text(entry.blurhash),
		focus:
			focal && focal.length === 2 && focal.every((n) => Number.isFinite(n) && n >= -1 && n <= 1)
				? [focal[0] as number, focal[1] as number]
				: null,
		width: num(entry.width),
		height: num(entry.height),
	};
}

function pollOf(object: Record<string, unknown>, now: Date): ArchivePoll | null {
	const multiple = Array.isArray(object.anyOf);
	const choices = list(multiple ? object.anyOf : object.oneOf);
	if (object.type !== "Question" || choices.length === 0) return null;
	const options = choices.map((choice) => {
		const option = choice as { name?: unknown; replies?: { totalItems?: unknown } };
		return { title: text(option.name) ?? "", votes: Math.max(0, num(option.replies?.totalItems) ?? 0) };
	});
	const ends = date(object.closed) ?? date(object.endTime);
	return {
		options,
		multiple,
		// An imported poll is over: it closes when it closed, or now if it would still be open.
		endsAt: ends && ends < now ? ends : now,
		voters: num(object.votersCount),
	};
}

/** One item of outbox.json, read; or why it cannot be imported. */
export function readArchiveItem(item: unknown, now = new Date()): ReadItem {
	const activity = item as Record<string, unknown> | null;
	const uri = text(activity?.id) ?? "(item without an id)";
	if (!activity || typeof activity !== "object") return { ok: false, uri, reason: "Not an activity" };
	const published = date(activity.published);
	if (activity.type === "Announce") {
		const objectUri = text(activity.object) ?? text((activity.object as { id?: unknown } | null)?.id);
		if (!objectUri || !published) return { ok: false, uri, reason: "A boost without its post or date" };
		return {
			ok: true,
			post: {
				kind: "boost",
				sourceUri: uri,
				published,
				visibility: visibilityOf(ids(activity.to), ids(activity.cc)),
				objectUri,
			},
		};
	}
	if (activity.type !== "Create")
		return { ok: false, uri, reason: `${String(activity.type)} activities are not posts` };
	const object = activity.object as Record<string, unknown> | null;
	if (!object || typeof object !== "object") return { ok: false, uri, reason: "A Create without its post" };
	if (object.type !== "Note" && object.type !== "Question" && object.type !== "Article") {
		return { ok: false, uri, reason: `${String(object.type)} objects are not imported` };
	}
	const sourceUri = text(object.id);
	const when = date(object.published) ?? published;
	if (!sourceUri) return { ok: false, uri, reason: "A post without an id" };
	if (!when) return { ok: false, uri: sourceUri, reason: "A post without a valid date" };
	const contentMap = object.contentMap as Record<string, unknown> | undefined;
	const language = contentMap && typeof contentMap === "object" ? (Object.keys(contentMap)[0] ?? null) : null;
	const tags = list(object.tag)
		.filter((tag) => (tag as { type?: unknown })?.type === "Hashtag")
		.map((tag) => (text((tag as { name?: unknown }).name) ?? "").replace(/^#/, ""))
		.filter(Boolean);
	return {
		ok: true,
		post: {
			kind: "note",
			sourceUri,
			url: text(object.url) ?? sourceUri,
			published: when,
			visibility: visibilityOf(ids(object.to ?? activity.to), ids(object.cc ?? activity.cc)),
			html: text(object.content) ?? "",
			summary: text(object.summary) ?? "",
			sensitive: object.sensitive === true,
			language: language && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(language) ? language : null,
			inReplyTo: text(object.inReplyTo) ?? text((object.inReplyTo as { id?: unknown } | null)?.id),
			tags,
			attachments: list(object.attachment)
				.map(attachmentOf)
				.filter((a): a is ArchiveAttachment => a !== null),
			poll: pollOf(object, now),
		},
	};
}

const ORIGIN_FOOTER =
	/<p>Originally published at <a href="([^"]+)"[^>]*>[^<]*<\/a>(?:, in reply to <a href="[^"]+"[^>]*>[^<]*<\/a>)?<\/p>$/;

/**
 * Where a post was first published, and its content without the line saying
 * so: an archive exported from here of posts imported earlier keeps naming
 * their first home, not the server in between.
 */
export function splitOriginFooter(html: string, fallback: string): { content: string; origin: string } {
	const match = ORIGIN_FOOTER.exec(html);
	if (!match?.[1]) return { content: html, origin: fallback };
	return { content: html.slice(0, match.index), origin: match[1].replaceAll("&amp;", "&") };
}

function link(url: string): string {
	const safe = escapeHtml(url);
	return `<a href="${safe}" rel="nofollow noopener noreferrer" target="_blank">${safe}</a>`;
}

/** The line an imported post ends with: where it was first published, and what it answered when that is elsewhere. */
export function originFooter(origin: string, replyTo: string | null): string {
	return `<p>Originally published at ${link(origin)}${replyTo ? `, in reply to ${link(replyTo)}` : ""}</p>`;
}

/** The text of a boost brought in from an archive: a link to what was boosted. */
export function boostContent(objectUri: string): string {
	return `<p>Boosted ${link(objectUri)}</p>`;
}
