import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import kdeNote from "../../../../test/fixtures/activitypub/mastodon__note__attachments-blurhash.json";
import misskeyLike from "../../../../test/fixtures/activitypub/misskey__like__custom-emoji-reaction.json";
import misskeyQuestion from "../../../../test/fixtures/activitypub/misskey__question__no-endtime.json";
import {
	deliverToInbox,
	type FakeActor,
	fakeActor,
	PUBLIC,
	serveFediverse,
	storeActor,
} from "../../../../test/helpers/fediverse";
import { postStatus } from "../../../../test/helpers/statuses";
import { createTestUser, db, type TestUser } from "../../../../test/helpers/users";
import {
	type Account,
	accounts,
	favourites,
	follows,
	homeFeed,
	mediaAttachments,
	mentions,
	notifications,
	polls,
	remoteEmojis,
	reports,
	type Status,
	statusEdits,
	statuses,
	statusPins,
	statusReactions,
} from "../../../db/schema";
import { newId } from "../../../lib/ids";

beforeEach(() => {
	vi.spyOn(env.DELIVERY_QUEUE, "send").mockResolvedValue(undefined as never);
	vi.spyOn(env.JOBS_QUEUE, "send").mockResolvedValue(undefined as never);
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** A fixture moved onto the fake peer's origin, so the peer may speak for it. */
function rehome<T>(fixture: T, fromActor: string, peer: FakeActor): T {
	const fromOrigin = new URL(fromActor).origin;
	const text = JSON.stringify(fixture).replaceAll(fromActor, peer.uri).replaceAll(fromOrigin, `https://${peer.domain}`);
	return JSON.parse(text) as T;
}

async function statusByUri(uri: string): Promise<Status | undefined> {
	const [row] = await db().select().from(statuses).where(eq(statuses.uri, uri));
	return row;
}

async function followedPeer(): Promise<{ peer: FakeActor; remote: Account; alice: TestUser }> {
	const peer = await fakeActor();
	const remote = await storeActor(peer);
	const alice = await createTestUser();
	await db()
		.insert(follows)
		.values({ id: newId(), accountId: alice.account.id, targetAccountId: remote.id, createdAt: new Date() });
	return { peer, remote, alice };
}

function create(peer: FakeActor, object: Record<string, unknown>) {
	return { id: `${object.id}/activity`, type: "Create", actor: peer.uri, to: object.to, cc: object.cc, object };
}

function note(peer: FakeActor, extra: Record<string, unknown> = {}) {
	return {
		id: `${peer.uri}/statuses/${crypto.randomUUID()}`,
		type: "Note",
		attributedTo: peer.uri,
		content: "<p>hello <script>x()</script>world</p>",
		published: "2024-05-01T10:00:00Z",
		to: [PUBLIC],
		cc: [`${peer.uri}/followers`],
		...extra,
	};
}

describe("Create", () => {
	it("stores a followed account's post (Mastodon fixture) with its media, in followers' home feeds", async () => {
		const { peer, alice } = await followedPeer();
		const object = rehome(kdeNote, "https://floss.social/users/kde", peer);
		await deliverToInbox(create(peer, object));
		const status = await statusByUri(object.id);
		expect(status).toMatchObject({ local: false, visibility: "public" });
		const media = await db()
			.select()
			.from(mediaAttachments)
			.where(eq(mediaAttachments.statusId, status?.id ?? ""));
		expect(media.length).toBe(kdeNote.attachment.length);
		expect(media[0]?.remoteUrl).toMatch(/^https:\/\//);
		expect(media[0]?.blurhash).toBeTruthy();
		const feed = await db()
			.select()
			.from(homeFeed)
			.where(and(eq(homeFeed.accountId, alice.account.id), eq(homeFeed.statusId, status?.id ?? "")));
		expect(feed).toHaveLength(1);
	});

	it("stores a reply that mentions a local user: sanitized, with CW, tags, emoji, mention notification", async () => {
		const peer = await fakeActor();
		await storeActor(peer);
		const alice = await createTestUser();
		const parent = await postStatus(alice, { status: "original post" });
		const object = note(peer, {
			inReplyTo: parent.uri,
			summary: "cw here",
			cc: [alice.account.uri],
			tag: [
				{ type: "Mention", href: alice.account.uri, name: `@${alice.account.username}@tern.test` },
				{ type: "Hashtag", href: `https://${peer.domain}/tags/Fedi`, name: "#Fedi" },
				{ type: "Emoji", name: ":blob:", icon: { type: "Image", url: `https://${peer.domain}/blob.png` } },
			],
		});
		await deliverToInbox(create(peer, object));
		const status = await statusByUri(object.id);
		expect(status).toMatchObject({ spoilerText: "cw here", sensitive: true, inReplyToId: parent.id });
		expect(status?.content).toBe("<p>hello world</p>");
		const [parentRow] = await db().select().from(statuses).where(eq(statuses.id, parent.id));
		expect(parentRow?.repliesCount).toBe(1);
		const mentioned = await db()
			.select()
			.from(mentions)
			.where(eq(mentions.statusId, status?.id ?? ""));
		expect(mentioned.map((m) => m.accountId)).toEqual([alice.account.id]);
		const notes = await db().select().from(notifications).where(eq(notifications.accountId, alice.account.id));
		expect(notes.map((n) => n.type)).toContain("mention");
		const emoji = await db().select().from(remoteEmojis).where(eq(remoteEmojis.domain, peer.domain));
		expect(emoji.map((e) => e.shortcode)).toEqual(["blob"]);
	});

	it("reads visibility from addressing: a post to one local user is direct", async () => {
		const peer = await fakeActor();
		await storeActor(peer);
		const alice = await createTestUser();
		const object = note(peer, {
			to: [alice.account.uri],
			cc: [],
			tag: [{ type: "Mention", href: alice.account.uri }],
		});
		await deliverToInbox(create(peer, object));
		expect((await statusByUri(object.id))?.visibility).toBe("direct");
	});

	it("stores a Question (Misskey fixture) with its poll", async () => {
		const { peer } = await followedPeer();
		const object = rehome(misskeyQuestion, "https://skippers-bin.com/users/7v1w1r8ce6", peer);
		await deliverToInbox(create(peer, object as unknown as Record<string, unknown>));
		const status = await statusByUri(object.id);
		const [poll] = await db()
			.select()
			.from(polls)
			.where(eq(polls.id, status?.pollId ?? ""));
		expect(poll?.options.length).toBe(misskeyQuestion.oneOf.length);
	});

	it("drops posts nobody here follows, is addressed by or replied to", async () => {
		const peer = await fakeActor();
		await storeActor(peer);
		const object = note(peer);
		await deliverToInbox(create(peer, object));
		expect(await statusByUri(object.id)).toBeUndefined();
	});

	it("does not trust an inline object from another origin: it is fetched from there", async () => {
		const { peer } = await followedPeer();
		const other = await fakeActor();
		await storeActor(other);
		const foreign = note(other, { content: "<p>the real text</p>" });
		serveFediverse({ [foreign.id]: foreign });
		await deliverToInbox({ ...create(peer, { ...foreign, content: "<p>forged</p>" }), actor: peer.uri });
		// Attributed to someone else than the sender: not stored at all.
		expect(await statusByUri(foreign.id)).toBeUndefined();
		const own = note(peer, { id: `https://elsewhere.example/notes/${crypto.randomUUID()}` });
		serveFediverse({});
		await deliverToInbox(create(peer, own));
		expect(await statusByUri(own.id)).toBeUndefined();
	});
});

describe("Update and Delete", () => {
	it("an Update edits the post and keeps the previous revision", async () => {
		const { peer } = await followedPeer();
		const object = note(peer);
		await deliverToInbox(create(peer, object));
		const updated = { ...object, content: "<p>edited</p>", updated: "2024-05-01T11:00:00Z" };
		await deliverToInbox({ id: `${object.id}#updates/1`, type: "Update", actor: peer.uri, object: updated });
		const status = await statusByUri(object.id);
		expect(status?.content).toBe("<p>edited</p>");
		expect(status?.editedAt).toBeTruthy();
		const edits = await db()
			.select()
			.from(statusEdits)
			.where(eq(statusEdits.statusId, status?.id ?? ""));
		expect(edits.map((e) => e.content)).toEqual(["<p>hello world</p>"]);
	});

	it("a Delete with a Tombstone removes the post; someone else's Delete does nothing", async () => {
		const { peer } = await followedPeer();
		const object = note(peer);
		await deliverToInbox(create(peer, object));
		const stranger = await fakeActor();
		await storeActor(stranger);
		const tombstone = { id: object.id, type: "Tombstone" };
		await deliverToInbox({ id: `${stranger.uri}#del`, type: "Delete", actor: stranger.uri, object: tombstone });
		expect((await statusByUri(object.id))?.deletedAt).toBeNull();
		await deliverToInbox({ id: `${object.id}#delete`, type: "Delete", actor: peer.uri, object: tombstone });
		expect((await statusByUri(object.id))?.deletedAt).toBeTruthy();
	});

	it("a Delete of the actor removes the account and fixes local counts", async () => {
		const { peer, remote, alice } = await followedPeer();
		await db().update(accounts).set({ followingCount: 1 }).where(eq(accounts.id, alice.account.id));
		await deliverToInbox({ id: `${peer.uri}#delete`, type: "Delete", actor: peer.uri, object: peer.uri });
		expect(await db().select().from(accounts).where(eq(accounts.id, remote.id))).toEqual([]);
		const [row] = await db().select().from(accounts).where(eq(accounts.id, alice.account.id));
		expect(row?.followingCount).toBe(0);
	});
});

describe("Announce, Like and reactions of a local post", () => {
	async function localPost() {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		const post = await postStatus(alice, { status: "local post" });
		return { peer, remote, alice, post };
	}

	async function counts(id: string) {
		const [row] = await db().select().from(statuses).where(eq(statuses.id, id));
		return { reblogs: row?.reblogsCount, favourites: row?.favouritesCount };
	}

	it("Announce counts a boost and notifies; Undo Announce takes it back", async () => {
		const { peer, alice, post } = await localPost();
		const announce = {
			id: `${peer.uri}/statuses/1/activity`,
			type: "Announce",
			actor: peer.uri,
			object: post.uri,
			to: [PUBLIC],
		};
		await deliverToInbox(announce);
		await deliverToInbox(announce);
		expect((await counts(post.id)).reblogs).toBe(1);
		const notes = await db().select().from(notifications).where(eq(notifications.accountId, alice.account.id));
		expect(notes.map((n) => n.type)).toContain("reblog");
		await deliverToInbox({ id: `${announce.id}/undo`, type: "Undo", actor: peer.uri, object: announce });
		expect((await counts(post.id)).reblogs).toBe(0);
	});

	it("Like counts a favourite; Undo by id removes it", async () => {
		const { peer, remote, post } = await localPost();
		const like = { id: `${peer.uri}#likes/1`, type: "Like", actor: peer.uri, object: post.uri };
		await deliverToInbox(like);
		expect((await counts(post.id)).favourites).toBe(1);
		const [row] = await db().select().from(favourites).where(eq(favourites.accountId, remote.id));
		expect(row?.uri).toBe(like.id);
		await deliverToInbox({ id: `${like.id}/undo`, type: "Undo", actor: peer.uri, object: like.id });
		expect((await counts(post.id)).favourites).toBe(0);
	});

	it("a Misskey reaction (fixture) is a favourite that keeps its custom emoji", async () => {
		const { peer, remote, post } = await localPost();
		const like = rehome(misskeyLike, "https://misskey.local.live/users/8x8yep20u2", peer);
		await deliverToInbox({ ...like, object: post.uri });
		expect((await counts(post.id)).favourites).toBe(1);
		const [reaction] = await db().select().from(statusReactions).where(eq(statusReactions.accountId, remote.id));
		expect(reaction).toMatchObject({ name: "hanapog", statusId: post.id });
		expect(reaction?.emojiUrl).toMatch(/^https:\/\//);
	});

	it("EmojiReact keeps the Unicode emoji", async () => {
		const { peer, remote, post } = await localPost();
		await deliverToInbox({
			id: `${peer.uri}#r/1`,
			type: "EmojiReact",
			actor: peer.uri,
			object: post.uri,
			content: "👌",
		});
		const [reaction] = await db().select().from(statusReactions).where(eq(statusReactions.accountId, remote.id));
		expect(reaction?.name).toBe("👌");
		expect((await counts(post.id)).favourites).toBe(1);
	});
});

describe("Flag, Add and Remove", () => {
	it("a Flag about a local post is stored as a report", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		const post = await postStatus(alice, { status: "reported" });
		const flag = {
			id: `https://${peer.domain}/flags/1`,
			type: "Flag",
			actor: peer.uri,
			object: [alice.account.uri, post.uri],
			content: "spam",
		};
		await deliverToInbox(flag);
		await deliverToInbox(flag);
		const rows = await db().select().from(reports).where(eq(reports.accountId, remote.id));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ targetAccountId: alice.account.id, statusIds: [post.id], comment: "spam" });
	});

	it("Add and Remove on the featured collection pin and unpin the actor's own post", async () => {
		const { peer, remote } = await followedPeer();
		const object = note(peer);
		await deliverToInbox(create(peer, object));
		const target = `${peer.uri}/collections/featured`;
		await deliverToInbox({ id: `${peer.uri}#add`, type: "Add", actor: peer.uri, object: object.id, target });
		expect(await db().select().from(statusPins).where(eq(statusPins.accountId, remote.id))).toHaveLength(1);
		await deliverToInbox({ id: `${peer.uri}#rm`, type: "Remove", actor: peer.uri, object: object.id, target });
		expect(await db().select().from(statusPins).where(eq(statusPins.accountId, remote.id))).toHaveLength(0);
	});
});

describe("votes in a local poll", () => {
	it("count once per option, as Mastodon sends them (one Create per choice)", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		const post = await postStatus(alice, {
			status: "vote?",
			poll: { options: ["yes", "no"], expires_in: 3600 },
		});
		const vote = (name: string) => ({
			id: `${peer.uri}#votes/${crypto.randomUUID()}`,
			type: "Note",
			name,
			attributedTo: peer.uri,
			inReplyTo: post.uri,
			to: [alice.account.uri],
		});
		const yes = vote("yes");
		await deliverToInbox(create(peer, yes));
		await deliverToInbox(create(peer, { ...yes, id: `${yes.id}-again` }));
		await deliverToInbox(create(peer, vote("no")));
		const [status] = await db().select().from(statuses).where(eq(statuses.id, post.id));
		const [poll] = await db()
			.select()
			.from(polls)
			.where(eq(polls.id, status?.pollId ?? ""));
		expect(poll?.options.map((o) => o.votesCount)).toEqual([1, 0]);
		expect(poll?.votersCount).toBe(1);
		expect(await statusByUri(yes.id)).toBeUndefined();
		expect(remote.id).toBeTruthy();
	});
});

describe("Announce of a post not seen yet", () => {
	it("fetches the post from its own origin when the booster has local followers", async () => {
		const { peer, remote, alice } = await followedPeer();
		const author = await fakeActor();
		const original = note(author, { content: "<p>boosted text</p>" });
		serveFediverse({ [original.id]: original, [author.uri]: author.document });
		await deliverToInbox({
			id: `${peer.uri}/statuses/b1/activity`,
			type: "Announce",
			actor: peer.uri,
			object: original.id,
			to: [PUBLIC],
		});
		const stored = await statusByUri(original.id);
		expect(stored?.content).toBe("<p>boosted text</p>");
		const [boost] = await db()
			.select()
			.from(statuses)
			.where(eq(statuses.uri, `${peer.uri}/statuses/b1/activity`));
		expect(boost).toMatchObject({ reblogOfId: stored?.id, accountId: remote.id });
		const feed = await db()
			.select()
			.from(homeFeed)
			.where(and(eq(homeFeed.accountId, alice.account.id), eq(homeFeed.statusId, boost?.id ?? "")));
		expect(feed).toHaveLength(1);
	});
});
