import { describe, expect, it, vi } from "vitest";
import { follow, postJson, postStatus } from "../helpers/statuses";
import { openEventSource, openStream, type StreamClient, streamStats, subscribe, until } from "../helpers/streaming";
import { api, createTestUser } from "../helpers/users";

vi.setConfig({ testTimeout: 30_000 });

/** Posts a marker after `action` and waits for it: whatever the action would have sent has arrived by then. */
async function settle(client: StreamClient, author: Parameters<typeof postStatus>[0]) {
	const marker = await postStatus(author, { status: `marker ${Math.random()}` });
	await client.next((e) => e.event === "update" && e.json?.id === marker.id);
}

describe("streams apply the timelines' rules", () => {
	it("never sends a blocked or muted account's post, nor one a hide filter matches; a warn filter marks it", async () => {
		const me = await createTestUser();
		const blocked = await createTestUser();
		const muted = await createTestUser();
		const friend = await createTestUser();
		for (const other of [blocked, muted, friend]) await follow(me, other);
		const client = await openStream(me.token);
		await subscribe(client, me.account.id, { stream: "user" });
		await subscribe(client, me.account.id, { stream: "public:local" });

		expect(
			(await api(`/api/v1/accounts/${blocked.account.id}/block`, { method: "POST", token: me.token })).status,
		).toBe(200);
		expect((await api(`/api/v1/accounts/${muted.account.id}/mute`, { method: "POST", token: me.token })).status).toBe(
			200,
		);
		const hide = await postJson("/api/v2/filters", me.token, {
			title: "spoilers",
			context: ["home", "public"],
			filter_action: "hide",
			keywords_attributes: [{ keyword: "spoiler" }],
		});
		expect(hide.status).toBe(200);
		await client.next((e) => e.event === "filters_changed");
		const warn = await postJson("/api/v2/filters", me.token, {
			title: "weather",
			context: ["home"],
			filter_action: "warn",
			keywords_attributes: [{ keyword: "rain" }],
		});
		expect(warn.status).toBe(200);

		const fromBlocked = await postStatus(blocked, { status: "from a blocked account" });
		const fromMuted = await postStatus(muted, { status: "from a muted account" });
		const spoiler = await postStatus(friend, { status: "a spoiler about the ending" });
		const rainy = await postStatus(friend, { status: "rain again" });
		const marked = await client.next((e) => e.event === "update" && e.json?.id === rainy.id && e.stream[0] === "user");
		expect(marked.json.filtered).toHaveLength(1);
		expect(marked.json.filtered[0].filter.title).toBe("weather");
		expect(marked.json.filtered[0].keyword_matches).toEqual(["rain"]);
		// On the local timeline the home-only warn filter does not apply.
		const local = await client.next((e) => e.event === "update" && e.json?.id === rainy.id && e.stream[0] !== "user");
		expect(local.stream).toEqual(["public:local"]);
		expect(local.json.filtered).toEqual([]);
		await settle(client, friend);
		const seen = client.events.filter((e) => e.event === "update").map((e) => e.json.id);
		for (const hidden of [fromBlocked.id, fromMuted.id, spoiler.id]) expect(seen).not.toContain(hidden);
		client.close();
	});

	it("sends public and hashtag streams only what those timelines show, to subscribers only", async () => {
		const me = await createTestUser();
		const stranger = await createTestUser();
		const idle = await createTestUser();
		const client = await openStream(me.token);
		await subscribe(client, me.account.id, { stream: "public:local" });
		await subscribe(client, me.account.id, { stream: "hashtag", tag: "Terns" });
		await subscribe(client, me.account.id, { stream: "public:media" });

		const tagged = await postStatus(stranger, { status: "look #terns" });
		const onLocal = await client.next((e) => e.json?.id === tagged.id && e.stream[0] === "public:local");
		expect(onLocal.json.favourited).toBe(false);
		const onTag = await client.next((e) => e.json?.id === tagged.id && e.stream[0] === "hashtag");
		expect(onTag.stream).toEqual(["hashtag", "Terns"]);
		const unlisted = await postStatus(stranger, { status: "quiet #terns", visibility: "unlisted" });
		const privatePost = await postStatus(stranger, { status: "followers only", visibility: "private" });
		const reply = await postStatus(stranger, { status: "a reply", in_reply_to_id: tagged.id });
		const replyToOther = await postStatus(stranger, {
			status: `@${me.account.username} hi #terns`,
			in_reply_to_id: (await postStatus(me, { status: "mine" })).id,
		});
		// A reply to someone else stays off the local timeline but is on the tag's.
		await client.next((e) => e.json?.id === replyToOther.id && e.stream[0] === "hashtag");
		await client.next((e) => e.json?.id === reply.id && e.stream[0] === "public:local");
		await settle(client, stranger);
		const seen = client.events.filter((e) => e.event === "update");
		expect(seen.some((e) => e.json.id === unlisted.id || e.json.id === privatePost.id)).toBe(false);
		expect(seen.some((e) => e.json.id === replyToOther.id && e.stream[0] === "public:local")).toBe(false);
		expect(seen.some((e) => e.stream[0] === "public:media")).toBe(false);
		// Nobody else's object was asked: an account without streams has no rows and no sockets.
		expect(await streamStats(idle.account.id)).toEqual({ sockets: 0, eventSources: 0, streams: [] });

		client.send({ type: "unsubscribe", stream: "hashtag", tag: "terns" });
		await until(async () => !(await streamStats(me.account.id)).streams.includes("hashtag:terns"));
		client.close();
	});

	it("gives a second connection and an SSE stream the same events", async () => {
		const me = await createTestUser();
		const friend = await createTestUser();
		await follow(me, friend);
		const first = await openStream(me.token, { query: "stream=user" });
		const second = await openStream(me.token, { query: "stream=user" });
		const sse = await openEventSource(me.token, "user");
		await until(async () => {
			const stats = await streamStats(me.account.id);
			return stats.sockets === 2 && stats.eventSources === 1;
		});
		const post = await postStatus(friend, { status: "to all three" });
		await first.next((e) => e.event === "update" && e.json?.id === post.id);
		await second.next((e) => e.event === "update" && e.json?.id === post.id);
		const event = await sse.next((e) => e.event === "update");
		expect(JSON.parse(event.data).id).toBe(post.id);
		const mention = await postStatus(friend, { status: `@${me.account.username} you` });
		const notified = await sse.next((e) => e.event === "notification");
		expect(JSON.parse(notified.data).status.id).toBe(mention.id);
		await api(`/api/v1/statuses/${post.id}`, { method: "DELETE", token: friend.token });
		expect((await sse.next((e) => e.event === "delete")).data).toBe(post.id);
		first.close();
		await until(async () => (await streamStats(me.account.id)).sockets === 1);
		expect((await streamStats(me.account.id)).streams).toEqual(["user"]);
		second.close();
		await sse.cancel();
		await until(async () => (await streamStats(me.account.id)).streams.length === 0);
	});

	it("checks scopes and lists the way Mastodon's streaming server does", async () => {
		const me = await createTestUser({ scopes: "read:statuses" });
		const other = await createTestUser();
		const client = await openStream(me.token);
		client.send({ type: "subscribe", stream: "user:notification" });
		const refused = await client.next((e) => "error" in e);
		expect(refused).toMatchObject({ error: "Access token does not cover required scopes", status: 401 });
		const list = await postJson("/api/v1/lists", other.token, { title: "theirs" });
		const listId = ((await list.json()) as { id: string }).id;
		client.send({ type: "subscribe", stream: "list", list: listId });
		await client.next((e) => (e as unknown as { error?: string }).error === "Not authorized to stream this list");
		client.send({ type: "subscribe", stream: "nonsense" });
		await client.next((e) => (e as unknown as { error?: string }).error === "Unknown stream type");
		client.send({ type: "subscribe", stream: "hashtag" });
		await client.next((e) => (e as unknown as { error?: string }).error === "No tag for stream provided");
		expect((await streamStats(me.account.id)).streams).toEqual([]);
		client.close();

		const writer = await createTestUser({ scopes: "write" });
		const sse = await api("/api/v1/streaming/user", { token: writer.token });
		expect(sse.status).toBe(401);
		const unknownList = await api("/api/v1/streaming/list?list=123", { token: other.token });
		expect(unknownList.status).toBe(404);
	});
});
