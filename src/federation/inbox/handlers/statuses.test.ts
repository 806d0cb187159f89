import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import kdeNote from "../../../../test/fixtures/activitypub/mastodon__note__attachments-blurhash.json";
import misskeyQuestion from "../../../../test/fixtures/activitypub/misskey__question__no-endtime.json";
import { deliverToInbox, fakeActor, serveFediverse, storeActor } from "../../../../test/helpers/fediverse";
import { create, followedPeer, note, rehome, statusByUri } from "../../../../test/helpers/fediverse-posts";
import { postStatus } from "../../../../test/helpers/statuses";
import { createTestUser, db } from "../../../../test/helpers/users";
import {
	accounts,
	homeFeed,
	mediaAttachments,
	mentions,
	notifications,
	polls,
	remoteEmojis,
	statusEdits,
	statuses,
} from "../../../db/schema";

beforeEach(() => {
	vi.spyOn(env.JOBS_QUEUE, "send").mockResolvedValue(undefined as never);
});

afterEach(() => {
	vi.restoreAllMocks();
});

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

describe("Update of a Question", () => {
	it("refreshes the vote counts without counting as an edit", async () => {
		const { peer } = await followedPeer();
		const question = {
			...note(peer, { type: "Question", content: "<p>pick</p>" }),
			oneOf: [
				{ type: "Note", name: "a", replies: { type: "Collection", totalItems: 0 } },
				{ type: "Note", name: "b", replies: { type: "Collection", totalItems: 0 } },
			],
		};
		await deliverToInbox(create(peer, question));
		const counted = {
			...question,
			oneOf: [
				{ type: "Note", name: "a", replies: { type: "Collection", totalItems: 3 } },
				{ type: "Note", name: "b", replies: { type: "Collection", totalItems: 1 } },
			],
			votersCount: 4,
		};
		await deliverToInbox({ id: `${question.id}#updates/1`, type: "Update", actor: peer.uri, object: counted });
		const status = await statusByUri(question.id);
		const [poll] = await db()
			.select()
			.from(polls)
			.where(eq(polls.id, status?.pollId ?? ""));
		expect(poll?.options.map((o) => o.votesCount)).toEqual([3, 1]);
		expect(poll?.votersCount).toBe(4);
		expect(status?.editedAt).toBeNull();
	});
});
