import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import misskeyLike from "../../../../test/fixtures/activitypub/misskey__like__custom-emoji-reaction.json";
import { deliverToInbox, fakeActor, PUBLIC, serveFediverse, storeActor } from "../../../../test/helpers/fediverse";
import { create, followedPeer, note, rehome, statusByUri } from "../../../../test/helpers/fediverse-posts";
import { postStatus } from "../../../../test/helpers/statuses";
import { createTestUser, db } from "../../../../test/helpers/users";
import {
	favourites,
	homeFeed,
	notifications,
	polls,
	reports,
	statuses,
	statusPins,
	statusReactions,
} from "../../../db/schema";

beforeEach(() => {
	vi.spyOn(env.JOBS_QUEUE, "send").mockResolvedValue(undefined as never);
});

afterEach(() => {
	vi.restoreAllMocks();
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
