/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import {
	type ParsedActivity,
	type ParsedActor,
	type ParsedCollection,
	type ParsedObject,
	type ParsedPost,
	parseObject,
	visibilityFromAddressing,
} from "../../src/federation/parse";
import indexTsv from "../fixtures/activitypub/INDEX.tsv?raw";

const files = import.meta.glob("../fixtures/activitypub/*.json", { query: "?raw", import: "default", eager: true });

interface Fixture {
	file: string;
	kind: string;
	json: Record<string, unknown>;
}

const fixtures: Fixture[] = indexTsv
	.trim()
	.split("\n")
	.slice(1)
	.map((line) => {
		const [file = "", , kind = ""] = line.split("\t");
		const text = files[`../fixtures/activitypub/${file}`] as string | undefined;
		if (text === undefined) throw new Error(`INDEX.tsv lists ${file}, which is missing`);
		return { file, kind, json: JSON.parse(text) as Record<string, unknown> };
	});

function asActivity(parsed: ParsedObject): ParsedActivity {
	expect(parsed.kind).toBe("activity");
	return parsed as ParsedActivity;
}

function asPost(parsed: ParsedObject | null): ParsedPost {
	expect(parsed?.kind).toBe("post");
	return parsed as ParsedPost;
}

function expectUrl(value: string | null | undefined) {
	expect(value).toMatch(/^https?:\/\//);
}

function checkActor(actor: ParsedActor, file: string) {
	expectUrl(actor.id);
	expectUrl(actor.inbox);
	expect(actor.preferredUsername, file).toBeTruthy();
	// Every actor in the set can verify signatures: an RSA key or a Multikey.
	expect(actor.publicKeys.length > 0 || actor.multikeys.length > 0, file).toBe(true);
	for (const key of actor.publicKeys) expect(key.pem).toContain("PUBLIC KEY");
}

function checkPost(post: ParsedPost, file: string) {
	expectUrl(post.id);
	expectUrl(post.attributedTo);
	expect(post.content.length + post.attachments.length + (post.name?.length ?? 0), file).toBeGreaterThan(0);
}

function visibilityOf(post: ParsedPost) {
	return visibilityFromAddressing(post.to, post.cc);
}

/** What each kind of document must yield; kinds not listed only need to parse. */
const CHECKS: Record<string, (parsed: ParsedObject, fixture: Fixture) => void> = {
	actor: (parsed, { file }) => {
		expect(parsed.kind).toBe("actor");
		checkActor(parsed as ParsedActor, file);
	},
	"create-note": (parsed, { file }) => {
		const activity = asActivity(parsed);
		expect(activity.type).toBe("Create");
		expectUrl(activity.actor);
		const post = asPost(activity.object);
		checkPost(post, file);
		expect(["public", "unlisted", "private", "direct"]).toContain(visibilityOf(post));
	},
	"create-note-dm": (parsed, { file }) => {
		const post = asPost(asActivity(parsed).object);
		checkPost(post, file);
		expect(visibilityOf(post), file).toBe("direct");
	},
	"create-note-private": (parsed, { file }) => {
		const post = asPost(asActivity(parsed).object);
		checkPost(post, file);
		expect(visibilityOf(post)).toBe("private");
		expect(post.summary).toBeTruthy();
		expect(post.sensitive).toBe(true);
		expect(post.tags.mentions.length).toBeGreaterThan(0);
	},
	create: (parsed, { file }) => {
		const activity = asActivity(parsed);
		expect(activity.type).toBe("Create");
		checkPost(asPost(activity.object), file);
	},
	note: (parsed, { file }) => checkPost(asPost(parsed), file),
	question: (parsed, { file }) => {
		const post = asPost(parsed);
		checkPost(post, file);
		expect(post.poll?.options.length).toBeGreaterThan(1);
	},
	article: (parsed, { file }) => checkPost(asPost(parsed), file),
	page: (parsed, { file }) => checkPost(asPost(parsed), file),
	video: (parsed, { file }) => checkPost(asPost(parsed), file),
	event: (parsed, { file }) => checkPost(asPost(parsed), file),
	announce: (parsed) => {
		const activity = asActivity(parsed);
		expect(activity.type).toBe("Announce");
		expectUrl(activity.actor);
		expectUrl(activity.objectId);
	},
	like: (parsed) => expectObjectRef(parsed, "Like"),
	"like-reaction": (parsed) => {
		const activity = expectObjectRef(parsed, "Like");
		expect(activity.content).toMatch(/^:\w+:$/);
		expect(activity.tags.emojis.length).toBe(1);
	},
	"emoji-react": (parsed) => {
		const activity = expectObjectRef(parsed, "EmojiReact");
		expect(activity.content).toBeTruthy();
	},
	"like-authorization": (parsed) => {
		expect(parsed.kind).toBe("other");
		expect((parsed as { type: string | null }).type).toBe("LikeAuthorization");
	},
	follow: (parsed) => expectObjectRef(parsed, "Follow"),
	block: (parsed) => expectObjectRef(parsed, "Block"),
	flag: (parsed) => {
		const activity = asActivity(parsed);
		expect(activity.type).toBe("Flag");
		expect(activity.objectId).toBeTruthy();
	},
	move: (parsed) => {
		const activity = expectObjectRef(parsed, "Move");
		expectUrl(activity.target);
	},
	delete: (parsed) => expectObjectRef(parsed, "Delete"),
	"delete-person": (parsed) => expectObjectRef(parsed, "Delete"),
	"undo-like": (parsed) => expectUndoOf(parsed, "Like"),
	"undo-announce": (parsed) => expectUndoOf(parsed, "Announce"),
	"undo-follow": (parsed) => expectUndoOf(parsed, "Follow"),
	"accept-follow": (parsed) => expectObjectRef(parsed, "Accept"),
	"reject-follow": (parsed) => expectObjectRef(parsed, "Reject"),
	"update-note": (parsed, { file }) => {
		const activity = asActivity(parsed);
		expect(activity.type).toBe("Update");
		checkPost(asPost(activity.object), file);
	},
	"update-group": (parsed, { file }) => {
		const activity = asActivity(parsed);
		expect(activity.object?.kind).toBe("actor");
		checkActor(activity.object as ParsedActor, file);
	},
	"add-featured": (parsed) => expectUrl(expectObjectRef(parsed, "Add").target),
	"remove-featured": (parsed) => expectUrl(expectObjectRef(parsed, "Remove").target),
	collection: (parsed) => {
		expect(parsed.kind).toBe("collection");
		const collection = parsed as ParsedCollection;
		expect(collection.totalItems !== null || collection.first !== null || collection.items.length > 0).toBe(true);
	},
	"collection-page": (parsed) => {
		expect(parsed.kind).toBe("collection");
		expect((parsed as ParsedCollection).partOf).toBeTruthy();
	},
	webfinger: (parsed, { json }) => {
		expect(parsed.kind).toBe("other");
		expect(Array.isArray(json.links)).toBe(true);
	},
	nodeinfo: (parsed, { json }) => {
		expect(parsed.kind).toBe("other");
		expect(json.software).toBeTruthy();
	},
};

function expectObjectRef(parsed: ParsedObject, type: string): ParsedActivity {
	const activity = asActivity(parsed);
	expect(activity.type).toBe(type);
	expectUrl(activity.actor);
	expect(activity.objectId).toBeTruthy();
	return activity;
}

function expectUndoOf(parsed: ParsedObject, type: string) {
	const activity = expectObjectRef(parsed, "Undo");
	if (activity.object) {
		expect(activity.object.kind).toBe("activity");
		expect((activity.object as ParsedActivity).type).toBe(type);
	}
}

function checkFor(kind: string) {
	return CHECKS[kind] ?? CHECKS[kind.split("-")[0] as string];
}

describe("shared ActivityPub fixtures", () => {
	it("lists every JSON file in INDEX.tsv", () => {
		expect(fixtures.length).toBe(Object.keys(files).length);
		expect(fixtures.length).toBeGreaterThan(100);
	});

	it.each(fixtures.map((f) => [f.file, f] as const))("%s parses with the expected fields", (_file, fixture) => {
		const parsed = parseObject(fixture.json);
		checkFor(fixture.kind)?.(parsed, fixture);
	});

	it("reads dates without the colon in the offset", () => {
		const fixture = fixtures.find((f) => f.file === "pixelfed__announce__remote-note.json");
		const parsed = asActivity(parseObject(fixture?.json));
		expect(parsed.published?.toISOString()).toBe("2023-10-30T12:44:35.000Z");
	});

	it("reads contentMap when content is missing", () => {
		const fixture = fixtures.find((f) => f.file === "mastodon__create-note__contentmap.json");
		const post = asPost(asActivity(parseObject(fixture?.json)).object);
		expect(post.content.length).toBeGreaterThan(0);
		expect(post.language).toBeTruthy();
	});

	it("reads a single tag object and an inline attributedTo", () => {
		const fixture = fixtures.find((f) => f.file === "kroeg__create-note__tag-object.json");
		const post = asPost(asActivity(parseObject(fixture?.json)).object);
		expect(post.tags.hashtags.map((h) => h.name)).toEqual(["test"]);
		expect(post.attributedTo).toBe("https://puckipedia.com/");
	});
});
