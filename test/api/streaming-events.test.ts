import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { homeFeed } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { revokeTokenStatements } from "../../src/services/auth/tokens";
import { streamStartedAnnouncements } from "../../src/services/instance/announcement-streams";
import { addAnnouncement } from "../../src/services/instance/announcements";
import { streamFeedEntries, streamTokenRevoked } from "../../src/services/streaming/publish";
import { runQueuedFanOut } from "../../src/services/timelines/fanout-job";
import { deliverToInbox } from "../helpers/fediverse";
import { create, followedPeer, note, statusByUri } from "../helpers/fediverse-posts";
import { follow, postJson, postStatus } from "../helpers/statuses";
import { openStream, streamStats, subscribe, until } from "../helpers/streaming";
import { api, config, createTestUser, db } from "../helpers/users";

vi.setConfig({ testTimeout: 30_000 });

describe("stream events", () => {
	beforeEach(() => {
		vi.spyOn(env.DELIVERY_QUEUE, "send").mockResolvedValue(undefined as never);
	});
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it("streams a list's members, and keeps an exclusive list's members off the home stream", async () => {
		const me = await createTestUser();
		const member = await createTestUser();
		const other = await createTestUser();
		await follow(me, member);
		await follow(me, other);
		const created = await postJson("/api/v1/lists", me.token, { title: "close", exclusive: true });
		const list = (await created.json()) as { id: string };
		expect(
			(await postJson(`/api/v1/lists/${list.id}/accounts`, me.token, { account_ids: [member.account.id] })).status,
		).toBe(200);
		const client = await openStream(me.token);
		await subscribe(client, me.account.id, { stream: "user" });
		await subscribe(client, me.account.id, { stream: "list", list: list.id });
		const fromMember = await postStatus(member, { status: "for the list" });
		const onList = await client.next((e) => e.json?.id === fromMember.id);
		expect(onList.stream).toEqual(["list", list.id]);
		const fromOther = await postStatus(other, { status: "for home" });
		const onHome = await client.next((e) => e.json?.id === fromOther.id);
		expect(onHome.stream).toEqual(["user"]);
		expect(client.events.filter((e) => e.json?.id === fromMember.id).map((e) => e.stream[0])).toEqual(["list"]);
		expect(client.events.filter((e) => e.json?.id === fromOther.id).map((e) => e.stream[0])).toEqual(["user"]);
		client.close();
	});

	it("sends conversation events on the direct stream, and boosts with the viewer's own marks", async () => {
		const me = await createTestUser();
		const friend = await createTestUser();
		await follow(me, friend);
		const client = await openStream(me.token);
		await subscribe(client, me.account.id, { stream: "direct" });
		await subscribe(client, me.account.id, { stream: "user" });
		const dm = await postStatus(friend, { status: `@${me.account.username} psst`, visibility: "direct" });
		const conversation = await client.next((e) => e.event === "conversation");
		expect(conversation.stream).toEqual(["direct"]);
		expect(conversation.json.unread).toBe(true);
		expect(conversation.json.last_status.id).toBe(dm.id);

		const mine = await postStatus(me, { status: "mine to be boosted" });
		await api(`/api/v1/statuses/${mine.id}/favourite`, { method: "POST", token: me.token });
		const booster = await createTestUser();
		await follow(me, booster);
		await follow(booster, me);
		// Old enough not to be among the 40 newest entries, a boost of it reaches the feed.
		for (let i = 0; i < 2; i++) {
			await db()
				.insert(homeFeed)
				.values(
					Array.from({ length: 20 }, () => ({
						accountId: me.account.id,
						statusId: newId(),
						authorId: friend.account.id,
					})),
				);
		}
		const boost = await api(`/api/v1/statuses/${mine.id}/reblog`, { method: "POST", token: booster.token });
		const boostId = ((await boost.json()) as { id: string }).id;
		const update = await client.next((e) => e.event === "update" && e.json?.id === boostId);
		expect(update.json.reblog.id).toBe(mine.id);
		expect(update.json.reblog.favourited).toBe(true);
		// Undoing the boost removes it from the stream too.
		await api(`/api/v1/statuses/${mine.id}/unreblog`, { method: "POST", token: booster.token });
		expect((await client.next((e) => e.event === "delete" && e.payload === boostId)).stream).toEqual(["user"]);
		client.close();
	});

	it("closes streams of a revoked token and tells home streams of announcements", async () => {
		const me = await createTestUser();
		const client = await openStream(me.token, { query: "stream=user" });
		await until(async () => (await streamStats(me.account.id)).streams.includes("user"));

		const announcement = await addAnnouncement(db(), { text: "Maintenance tonight" });
		const ctx = { env, db: db(), config: config() };
		const now = new Date();
		expect(await streamStartedAnnouncements(ctx, new Date(now.getTime() - 60_000), now)).toBeGreaterThanOrEqual(1);
		const published = await client.next((e) => e.event === "announcement" && e.json?.id === announcement.id);
		expect(published.json.content).toContain("Maintenance tonight");
		expect(published.json).not.toHaveProperty("read");
		expect(
			(await api(`/api/v1/announcements/${announcement.id}/reactions/%F0%9F%91%8D`, { method: "PUT", token: me.token }))
				.status,
		).toBe(200);
		const reaction = await client.next((e) => e.event === "announcement.reaction");
		expect(reaction.json).toEqual({ name: "👍", count: 1, announcement_id: announcement.id });

		// The test token has no application to revoke it through /oauth/revoke: do what that endpoint does.
		expect((await streamStats(me.account.id)).sockets).toBe(1);
		const tokenRows = await db().query.oauthAccessTokens.findMany({ where: (t, { eq }) => eq(t.userId, me.user.id) });
		await db().batch(revokeTokenStatements(db(), tokenRows[0]?.id ?? "", new Date()));
		await streamTokenRevoked(ctx, me.account.id, tokenRows[0]?.id ?? "");
		await until(async () => client.closed);
		await until(async () => (await streamStats(me.account.id)).streams.length === 0);
	});

	it("streams the queued fan-out's followers and a remote post that arrives through the inbox", async () => {
		const { peer, alice } = await followedPeer();
		const client = await openStream(alice.token, { query: "stream=user" });
		await until(async () => (await streamStats(alice.account.id)).streams.includes("user"));
		const object = note(peer, { content: "<p>from far away</p>", published: new Date().toISOString() });
		await deliverToInbox(create(peer, object));
		const stored = await statusByUri(object.id);
		const update = await client.next((e) => e.event === "update" && e.json?.id === stored?.id);
		expect(update.json.content).toContain("from far away");
		expect(update.json.account.acct).toContain("@");

		const author = await createTestUser();
		await follow(alice, author);
		// Written directly, so only the queued fan-out puts it into followers' feeds.
		const post = await postStatus(author, { status: "for many followers", visibility: "public" });
		await db().run(`delete from home_feed where status_id = '${post.id}' and account_id = '${alice.account.id}'`);
		client.events.length = 0;
		await runQueuedFanOut(db(), post.id, (status, live) =>
			streamFeedEntries({ env, db: db(), config: config() }, status, live),
		);
		await client.next((e) => e.event === "update" && e.json?.id === post.id);
		client.close();
	});
});
