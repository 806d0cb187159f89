import { TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from "@zip.js/zip.js/lib/zip-core-custom.js";

/**
 * A Mastodon archive laid out as Mastodon's BackupService writes it: a zip
 * with outbox.json (an OrderedCollection of Create and Announce activities
 * without their @context, attachment URLs turned into paths under the
 * archive), likes.json, bookmarks.json, actor.json pointing at avatar and
 * header files, and every attached file at its path (Mastodon's
 * `media_attachments/files/<id in groups of three>/original/<name>`).
 */

export const OLD = "https://old.example";
export const ACTOR = `${OLD}/users/mira`;
const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const FOLLOWERS = `${ACTOR}/followers`;

export const CONTEXT = [
	"https://www.w3.org/ns/activitystreams",
	{
		ostatus: "http://ostatus.org#",
		atomUri: "ostatus:atomUri",
		inReplyToAtomUri: "ostatus:inReplyToAtomUri",
		conversation: "ostatus:conversation",
		sensitive: "as:sensitive",
		toot: "http://joinmastodon.org/ns#",
		votersCount: "toot:votersCount",
		blurhash: "toot:blurhash",
		focalPoint: { "@container": "@list", "@id": "toot:focalPoint" },
	},
];

/** A 1×1 PNG. */
export const PNG = Uint8Array.from(
	atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="),
	(c) => c.charCodeAt(0),
);

export interface NoteInput {
	id: string;
	published: string;
	content: string;
	visibility?: "public" | "unlisted" | "private" | "direct";
	summary?: string | null;
	inReplyTo?: string | null;
	attachment?: {
		path: string;
		mediaType: string;
		name: string | null;
		blurhash?: string;
		focalPoint?: [number, number];
		width?: number;
		height?: number;
	}[];
	poll?: { options: [string, number][]; multiple?: boolean; closed: string; voters?: number };
	tags?: string[];
	mentions?: string[];
}

function addressing(visibility: NoteInput["visibility"], mentions: string[]) {
	switch (visibility ?? "public") {
		case "public":
			return { to: [PUBLIC], cc: [FOLLOWERS, ...mentions] };
		case "unlisted":
			return { to: [FOLLOWERS], cc: [PUBLIC, ...mentions] };
		case "private":
			return { to: [FOLLOWERS], cc: mentions };
		default:
			return { to: mentions, cc: [] };
	}
}

export function createItem(note: NoteInput) {
	const uri = `${ACTOR}/statuses/${note.id}`;
	const { to, cc } = addressing(note.visibility, note.mentions ?? []);
	const object: Record<string, unknown> = {
		id: uri,
		type: note.poll ? "Question" : "Note",
		summary: note.summary ?? null,
		inReplyTo: note.inReplyTo ?? null,
		published: note.published,
		url: `${OLD}/@mira/${note.id}`,
		attributedTo: ACTOR,
		to,
		cc,
		sensitive: Boolean(note.summary),
		atomUri: uri,
		inReplyToAtomUri: note.inReplyTo ?? null,
		conversation: `tag:old.example,2023:objectId=${note.id}:objectType=Conversation`,
		content: note.content,
		contentMap: { en: note.content },
		attachment: (note.attachment ?? []).map((a) => ({
			type: "Document",
			mediaType: a.mediaType,
			url: a.path,
			name: a.name,
			...(a.blurhash ? { blurhash: a.blurhash } : {}),
			...(a.focalPoint ? { focalPoint: a.focalPoint } : {}),
			...(a.width ? { width: a.width, height: a.height } : {}),
		})),
		tag: [
			...(note.tags ?? []).map((t) => ({ type: "Hashtag", href: `${OLD}/tags/${t}`, name: `#${t}` })),
			...(note.mentions ?? []).map((m) => ({ type: "Mention", href: m, name: `@${m.split("/").pop()}` })),
		],
		replies: {
			id: `${uri}/replies`,
			type: "Collection",
			first: { type: "CollectionPage", next: `${uri}/replies?page=true`, partOf: `${uri}/replies`, items: [] },
		},
		likes: { id: `${uri}/likes`, type: "Collection", totalItems: 0 },
		shares: { id: `${uri}/shares`, type: "Collection", totalItems: 0 },
	};
	if (note.poll) {
		object[note.poll.multiple ? "anyOf" : "oneOf"] = note.poll.options.map(([name, votes]) => ({
			type: "Note",
			name,
			replies: { type: "Collection", totalItems: votes },
		}));
		object.endTime = note.poll.closed;
		object.closed = note.poll.closed;
		object.votersCount = note.poll.voters ?? note.poll.options.reduce((s, [, v]) => s + v, 0);
	}
	return { id: `${uri}/activity`, type: "Create", actor: ACTOR, published: note.published, to, cc, object };
}

export function announceItem(id: string, published: string, object: string) {
	return {
		id: `${ACTOR}/statuses/${id}/activity`,
		type: "Announce",
		actor: ACTOR,
		published,
		to: [PUBLIC],
		cc: [object.replace(/\/statuses\/.*$/, ""), FOLLOWERS],
		object,
	};
}

export async function buildMastodonArchive(
	items: unknown[],
	files: Record<string, Uint8Array>,
	extra: { likes?: string[]; bookmarks?: string[] } = {},
): Promise<Uint8Array> {
	const out = new Uint8ArrayWriter();
	const zip = new ZipWriter(out, { useWebWorkers: false });
	const outbox = {
		"@context": CONTEXT,
		id: "outbox.json",
		type: "OrderedCollection",
		totalItems: items.length,
		orderedItems: items,
	};
	await zip.add("outbox.json", new TextReader(JSON.stringify(outbox)));
	for (const [path, bytes] of Object.entries(files)) await zip.add(path, new Uint8ArrayReader(bytes), { level: 0 });
	for (const [name, list] of [
		["likes.json", extra.likes ?? []],
		["bookmarks.json", extra.bookmarks ?? []],
	] as const) {
		await zip.add(
			name,
			new TextReader(
				JSON.stringify({
					"@context": "https://www.w3.org/ns/activitystreams",
					id: name,
					type: "OrderedCollection",
					orderedItems: list,
				}),
			),
		);
	}
	await zip.add("avatar.png", new Uint8ArrayReader(PNG), { level: 0 });
	const actor = {
		"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
		id: ACTOR,
		type: "Person",
		preferredUsername: "mira",
		name: "Mira",
		inbox: `${ACTOR}/inbox`,
		outbox: "outbox.json",
		followers: FOLLOWERS,
		icon: { type: "Image", mediaType: "image/png", url: "avatar.png" },
		likes: "likes.json",
		bookmarks: "bookmarks.json",
	};
	await zip.add("actor.json", new TextReader(JSON.stringify(actor)));
	return zip.close();
}
