import { describe, expect, it, vi } from "vitest";
import type { StreamDelivery } from "../../src/services/streaming/events";
import { DIRECT_DELIVERIES, deliverToStreams, type StreamEnv } from "../../src/services/streaming/publish";
import { follow, postJson, postStatus } from "../helpers/statuses";
import { openStream, streamStats, subscribe, until } from "../helpers/streaming";
import { api, createTestUser } from "../helpers/users";

vi.setConfig({ testTimeout: 30_000 });

describe("streaming API over WebSocket", () => {
	it("answers the health check and refuses connections without a usable token", async () => {
		const health = await api("/api/v1/streaming/health");
		expect(health.status).toBe(200);
		expect(await health.text()).toBe("OK");
		// Without an upgrade the streaming URL says "same host" the way Mastodon does.
		expect((await api("/api/v1/streaming")).status).toBe(404);
		const missing = await api("/api/v1/streaming", { headers: { Upgrade: "websocket" } });
		expect(missing.status).toBe(401);
		const wrong = await api("/api/v1/streaming?access_token=nope", { headers: { Upgrade: "websocket" } });
		expect(wrong.status).toBe(401);
	});

	it("streams a followed account's post, the viewer's own post and a mention, with the token in any of three places", async () => {
		const me = await createTestUser();
		const friend = await createTestUser();
		await follow(me, friend);
		for (const via of ["header", "query", "protocol"] as const) {
			const client = await openStream(me.token, { via, query: "stream=user" });
			await until(async () => (await streamStats(me.account.id)).streams.includes("user"));
			const post = await postStatus(friend, { status: `hello via ${via}` });
			const update = await client.next((e) => e.event === "update" && e.json?.id === post.id);
			expect(update.stream).toEqual(["user"]);
			expect(update.json.content).toContain(`hello via ${via}`);
			expect(update.json.favourited).toBe(false);
			expect(update.json.filtered).toEqual([]);
			client.close();
			await until(async () => (await streamStats(me.account.id)).sockets === 0);
		}
		const client = await openStream(me.token);
		await subscribe(client, me.account.id, { stream: "user" });
		const own = await postStatus(me, { status: "my own" });
		await client.next((e) => e.event === "update" && e.json?.id === own.id);
		const mention = await postStatus(friend, { status: `@${me.account.username} look` });
		const notification = await client.next((e) => e.event === "notification");
		expect(notification.json.type).toBe("mention");
		expect(notification.json.status.id).toBe(mention.id);
		client.close();
	});

	it("reaches more listening followers than a post calls directly through one object's fan-out", async () => {
		const author = await createTestUser();
		const count = DIRECT_DELIVERIES + 2;
		const followers = await Promise.all(Array.from({ length: count }, () => createTestUser()));
		const clients = [];
		for (const follower of followers) {
			await follow(follower, author);
			const client = await openStream(follower.token);
			await subscribe(client, follower.account.id, { stream: "user" });
			clients.push(client);
		}
		const post = await postStatus(author, { status: "to everyone listening" });
		for (const client of clients) {
			const update = await client.next((e) => e.event === "update" && e.json?.id === post.id);
			expect(update.json.content).toContain("to everyone listening");
			// Each follower's copy is their own: personalized in their object.
			expect(update.json.favourited).toBe(false);
			client.close();
		}
	});

	it("calls each listening account's object up to the direct limit, and one object to fan out beyond it", async () => {
		const calls: string[] = [];
		const env = {
			ACCOUNT_STREAMS: {
				idFromName: (name: string) => name,
				get: (id: string) => ({
					deliver: async (accountId: string) => calls.push(`${id}: deliver ${accountId}`),
					fanOut: async (self: string, list: [string, StreamDelivery][]) =>
						calls.push(`${id}: fanOut ${self} ${list.map(([a]) => a).join(",")}`),
				}),
			},
		} as unknown as StreamEnv;
		const event: StreamDelivery = { type: "context.changed" };
		const few = Array.from({ length: DIRECT_DELIVERIES }, (_, i): [string, StreamDelivery] => [`a${i}`, event]);
		await deliverToStreams(env, few);
		expect(calls).toEqual(few.map(([id]) => `${id}: deliver ${id}`));
		calls.length = 0;
		const many: [string, StreamDelivery][] = [...few, ["b", event]];
		await deliverToStreams(env, many);
		expect(calls).toEqual([`a0: fanOut a0 ${many.map(([a]) => a).join(",")}`]);
	});

	it("sends delete and status.update, and cleans up a closed socket", async () => {
		const me = await createTestUser();
		const friend = await createTestUser();
		await follow(me, friend);
		const client = await openStream(me.token);
		await subscribe(client, me.account.id, { stream: "user" });
		const post = await postStatus(friend, { status: "first draft" });
		await client.next((e) => e.event === "update" && e.json?.id === post.id);
		const edited = await postJson(`/api/v1/statuses/${post.id}`, friend.token, { status: "second draft" }, "PUT");
		expect(edited.status).toBe(200);
		const update = await client.next((e) => e.event === "status.update");
		expect(update.json.content).toContain("second draft");
		expect(update.json.edited_at).not.toBeNull();
		const deleted = await api(`/api/v1/statuses/${post.id}`, { method: "DELETE", token: friend.token });
		expect(deleted.status).toBe(200);
		const removal = await client.next((e) => e.event === "delete");
		expect(removal.payload).toBe(post.id);
		expect(removal.stream).toEqual(["user"]);

		expect((await streamStats(me.account.id)).streams).toEqual(["user"]);
		client.close();
		await until(async () => (await streamStats(me.account.id)).sockets === 0);
		await until(async () => (await streamStats(me.account.id)).streams.length === 0);
	});
});
