import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { accounts, blocks, homeFeed, notifications, statuses } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { expectMatchesSchema } from "../helpers/openapi";
import { follow, getJson, postJson, postStatus, type StatusJson, uploadedMedia } from "../helpers/statuses";
import { api, createTestUser, db } from "../helpers/users";

// Request-level tests share two CPU cores with other suites; allow for slow runs.
vi.setConfig({ testTimeout: 30_000 });

async function act(path: string, token: string, body: unknown = {}) {
	const response = await postJson(path, token, body);
	return { status: response.status, body: (await response.json()) as StatusJson & Record<string, unknown> };
}

describe("favourites", () => {
	it("favourites idempotently, counts, notifies the author and undoes", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const post = await postStatus(alice, { status: "like me" });
		const first = await act(`/api/v1/statuses/${post.id}/favourite`, bob.token);
		expect(first.status).toBe(200);
		expectMatchesSchema("POST", "/api/v1/statuses/{id}/favourite", 200, first.body);
		expect(first.body).toMatchObject({ favourited: true, favourites_count: 1 });
		const again = await act(`/api/v1/statuses/${post.id}/favourite`, bob.token);
		expect(again.body).toMatchObject({ favourited: true, favourites_count: 1 });
		const notes = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.accountId, alice.account.id), eq(notifications.type, "favourite")));
		expect(notes).toHaveLength(1);
		expect(notes[0]?.fromAccountId).toBe(bob.account.id);

		const by = await getJson<{ id: string }[]>(`/api/v1/statuses/${post.id}/favourited_by`);
		expectMatchesSchema("GET", "/api/v1/statuses/{id}/favourited_by", 200, by.body);
		expect(by.body.map((a) => a.id)).toEqual([bob.account.id]);

		const list = await getJson<StatusJson[]>("/api/v1/favourites", bob.token);
		expectMatchesSchema("GET", "/api/v1/favourites", 200, list.body);
		expect(list.body.map((s) => s.id)).toEqual([post.id]);
		expect(list.response.headers.get("Link")).toContain('rel="next"');

		const undone = await act(`/api/v1/statuses/${post.id}/unfavourite`, bob.token);
		expect(undone.body).toMatchObject({ favourited: false, favourites_count: 0 });
		const after = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.accountId, alice.account.id), eq(notifications.type, "favourite")));
		expect(after).toHaveLength(0);
		expect((await getJson<StatusJson[]>("/api/v1/favourites", bob.token)).body).toEqual([]);
	});

	it("answers 404 for hidden or unknown statuses and checks scopes", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const secret = await postStatus(alice, { status: "secret", visibility: "private" });
		expect((await act(`/api/v1/statuses/${secret.id}/favourite`, bob.token)).status).toBe(404);
		expect((await act("/api/v1/statuses/999999999999999999/favourite", bob.token)).status).toBe(404);
		const reader = await createTestUser({ scopes: "read" });
		const pub = await postStatus(alice, { status: "pub" });
		expect((await act(`/api/v1/statuses/${pub.id}/favourite`, reader.token)).status).toBe(403);
		const favOnly = await createTestUser({ scopes: "write:favourites" });
		expect((await act(`/api/v1/statuses/${pub.id}/favourite`, favOnly.token)).status).toBe(200);
	});
});

describe("reblogs", () => {
	it("boosts, fans out to followers (respecting show_reblogs), notifies and undoes", async () => {
		const alice = await createTestUser();
		const booster = await createTestUser();
		const fan = await createTestUser();
		const quiet = await createTestUser();
		await follow(fan, booster);
		await follow(quiet, booster, { showReblogs: false });
		const post = await postStatus(alice, { status: "boost me" });
		const boost = await act(`/api/v1/statuses/${post.id}/reblog`, booster.token);
		expect(boost.status).toBe(200);
		expectMatchesSchema("POST", "/api/v1/statuses/{id}/reblog", 200, boost.body);
		expect(boost.body.reblog).toMatchObject({ id: post.id, reblogged: true, reblogs_count: 1 });
		expect(boost.body.account).toMatchObject({ id: booster.account.id });
		const again = await act(`/api/v1/statuses/${post.id}/reblog`, booster.token);
		expect(again.body.id).toBe(boost.body.id);

		const fanHome = await getJson<StatusJson[]>("/api/v1/timelines/home", fan.token);
		expect(fanHome.body.map((s) => s.id)).toEqual([boost.body.id]);
		expect(fanHome.body[0]?.reblog?.id).toBe(post.id);
		expect((await getJson<StatusJson[]>("/api/v1/timelines/home", quiet.token)).body).toEqual([]);

		const by = await getJson<{ id: string }[]>(`/api/v1/statuses/${post.id}/reblogged_by`);
		expectMatchesSchema("GET", "/api/v1/statuses/{id}/reblogged_by", 200, by.body);
		expect(by.body.map((a) => a.id)).toEqual([booster.account.id]);
		const note = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.accountId, alice.account.id), eq(notifications.type, "reblog")));
		expect(note).toHaveLength(1);

		const undone = await act(`/api/v1/statuses/${post.id}/unreblog`, booster.token);
		expect(undone.status).toBe(200);
		expectMatchesSchema("POST", "/api/v1/statuses/{id}/unreblog", 200, undone.body);
		expect(undone.body).toMatchObject({ id: post.id, reblogged: false, reblogs_count: 0 });
		expect((await getJson<StatusJson[]>("/api/v1/timelines/home", fan.token)).body).toEqual([]);
		expect((await getJson(`/api/v1/statuses/${boost.body.id}`)).status).toBe(404);
	});

	it("does not put a boost in a feed that already has the original", async () => {
		const alice = await createTestUser();
		const booster = await createTestUser();
		const fan = await createTestUser();
		await follow(fan, alice);
		await follow(fan, booster);
		const post = await postStatus(alice, { status: "seen already" });
		const boost = await act(`/api/v1/statuses/${post.id}/reblog`, booster.token);
		const home = await getJson<StatusJson[]>("/api/v1/timelines/home", fan.token);
		expect(home.body.map((s) => s.id)).toEqual([post.id]);
		expect(home.body.map((s) => s.id)).not.toContain(boost.body.id);
	});

	it("refuses to boost direct posts and other people's private posts", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await follow(bob, alice);
		const priv = await postStatus(alice, { status: "followers", visibility: "private" });
		expect((await act(`/api/v1/statuses/${priv.id}/reblog`, bob.token)).status).toBe(403);
		const own = await act(`/api/v1/statuses/${priv.id}/reblog`, alice.token);
		expect(own.status).toBe(200);
		expect(own.body.visibility).toBe("private");
	});
});

describe("bookmarks, pins and mutes", () => {
	it("bookmarks and lists bookmarks with Link headers", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const posts = [];
		for (let i = 0; i < 3; i++) posts.push(await postStatus(alice, { status: `post ${i}` }));
		for (const post of posts) {
			const result = await act(`/api/v1/statuses/${post.id}/bookmark`, bob.token);
			expectMatchesSchema("POST", "/api/v1/statuses/{id}/bookmark", 200, result.body);
			expect(result.body.bookmarked).toBe(true);
		}
		const page = await getJson<StatusJson[]>("/api/v1/bookmarks?limit=2", bob.token);
		expectMatchesSchema("GET", "/api/v1/bookmarks", 200, page.body);
		expect(page.body.map((s) => s.id)).toEqual([posts[2]?.id, posts[1]?.id]);
		const next = /<([^>]+)>; rel="next"/.exec(page.response.headers.get("Link") ?? "")?.[1];
		expect(next).toBeDefined();
		const rest = await getJson<StatusJson[]>(
			new URL(next as string).pathname + new URL(next as string).search,
			bob.token,
		);
		expect(rest.body.map((s) => s.id)).toEqual([posts[0]?.id]);
		await act(`/api/v1/statuses/${posts[0]?.id}/unbookmark`, bob.token);
		expect((await getJson<StatusJson[]>("/api/v1/bookmarks", bob.token)).body).toHaveLength(2);
		expect((await api("/api/v1/bookmarks", { token: (await createTestUser({ scopes: "write" })).token })).status).toBe(
			403,
		);
	});

	it("pins own public posts only, at most five", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const other = await postStatus(bob, { status: "bob's" });
		expect((await act(`/api/v1/statuses/${other.id}/pin`, alice.token)).status).toBe(422);
		const dm = await postStatus(alice, { status: "dm", visibility: "direct" });
		expect((await act(`/api/v1/statuses/${dm.id}/pin`, alice.token)).status).toBe(422);
		const ids: string[] = [];
		for (let i = 0; i < 6; i++) ids.push((await postStatus(alice, { status: `pin ${i}` })).id);
		for (const id of ids.slice(0, 5)) {
			const pinned = await act(`/api/v1/statuses/${id}/pin`, alice.token);
			expect(pinned.body.pinned).toBe(true);
		}
		expect((await act(`/api/v1/statuses/${ids[5]}/pin`, alice.token)).status).toBe(422);
		expect((await act(`/api/v1/statuses/${ids[0]}/unpin`, alice.token)).body.pinned).toBe(false);
		expect((await act(`/api/v1/statuses/${ids[5]}/pin`, alice.token)).body.pinned).toBe(true);
	});

	it("mutes and unmutes a conversation, silencing its notifications", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const post = await postStatus(alice, { status: "thread" });
		await act(`/api/v1/statuses/${post.id}/mute`, alice.token);
		await postStatus(bob, { status: `@${alice.account.username} hi`, in_reply_to_id: post.id });
		const silenced = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.accountId, alice.account.id), eq(notifications.type, "mention")));
		expect(silenced).toEqual([]);
		const muted = await act(`/api/v1/statuses/${post.id}/mute`, alice.token);
		expectMatchesSchema("POST", "/api/v1/statuses/{id}/mute", 200, muted.body);
		expect(muted.body.muted).toBe(true);
		expect((await act(`/api/v1/statuses/${post.id}/unmute`, alice.token)).body.muted).toBe(false);
	});
});

describe("edits and deletes", () => {
	it("edits keep a history, and the source is available to the author", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const post = await postStatus(alice, { status: "first #draft" });
		const edited = await postJson(
			`/api/v1/statuses/${post.id}`,
			alice.token,
			{ status: "second #final", spoiler_text: "cw" },
			"PUT",
		);
		expect(edited.status).toBe(200);
		const body = (await edited.json()) as StatusJson;
		expectMatchesSchema("PUT", "/api/v1/statuses/{id}", 200, body);
		expect(body).toMatchObject({
			id: post.id,
			content: expect.stringContaining("second"),
			spoiler_text: "cw",
			sensitive: true,
		});
		expect(body.edited_at).not.toBeNull();
		expect(body.tags).toEqual([{ name: "final", url: "https://tern.test/tags/final" }]);
		await postJson(`/api/v1/statuses/${post.id}`, alice.token, { status: "third" }, "PUT");

		const history = await getJson<{ content: string }[]>(`/api/v1/statuses/${post.id}/history`);
		expectMatchesSchema("GET", "/api/v1/statuses/{id}/history", 200, history.body);
		expect(history.body.map((h) => h.content.replace(/<[^>]+>/g, ""))).toEqual([
			"first #draft",
			"second #final",
			"third",
		]);

		const source = await getJson(`/api/v1/statuses/${post.id}/source`, alice.token);
		expectMatchesSchema("GET", "/api/v1/statuses/{id}/source", 200, source.body);
		expect(source.body).toEqual({ id: post.id, text: "third", spoiler_text: "" });
		expect((await getJson(`/api/v1/statuses/${post.id}/source`, bob.token)).status).toBe(404);
		expect((await postJson(`/api/v1/statuses/${post.id}`, bob.token, { status: "hijack" }, "PUT")).status).toBe(403);
		const single = await getJson<{ content: string }[]>(
			`/api/v1/statuses/${(await postStatus(alice, { status: "x" })).id}/history`,
		);
		expect(single.body).toHaveLength(1);
	});

	it("tells those who boosted a post that it changed", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const post = await postStatus(alice, { status: "v1" });
		await act(`/api/v1/statuses/${post.id}/reblog`, bob.token);
		await postJson(`/api/v1/statuses/${post.id}`, alice.token, { status: "v2" }, "PUT");
		const notes = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.accountId, bob.account.id), eq(notifications.type, "update")));
		expect(notes.map((n) => n.statusId)).toEqual([post.id]);
	});

	it("edits media: replaces attachments", async () => {
		const alice = await createTestUser();
		const a = await uploadedMedia(alice, "a");
		const b = await uploadedMedia(alice, "b");
		const post = await postStatus(alice, { status: "pics", media_ids: [a] });
		const edited = await postJson(
			`/api/v1/statuses/${post.id}`,
			alice.token,
			{ status: "pics", media_ids: [b] },
			"PUT",
		);
		const body = (await edited.json()) as { media_attachments: { id: string }[] };
		expect(body.media_attachments.map((m) => m.id)).toEqual([b]);
	});

	it("deletes: returns the source for redraft, removes from timelines, fixes counts", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await follow(bob, alice);
		const parent = await postStatus(bob, { status: "parent" });
		const media = await uploadedMedia(alice);
		const post = await postStatus(alice, { status: "bye #gone", in_reply_to_id: parent.id, media_ids: [media] });
		expect((await api(`/api/v1/statuses/${post.id}`, { method: "DELETE", token: bob.token })).status).toBe(403);
		const response = await api(`/api/v1/statuses/${post.id}`, { method: "DELETE", token: alice.token });
		expect(response.status).toBe(200);
		const body = (await response.json()) as StatusJson & { text: string };
		expectMatchesSchema("DELETE", "/api/v1/statuses/{id}", 200, body);
		expect(body.text).toBe("bye #gone");
		expect((body.media_attachments as { id: string }[]).map((m) => m.id)).toEqual([media]);
		expect((await getJson(`/api/v1/statuses/${post.id}`)).status).toBe(404);
		expect((await api(`/api/v1/statuses/${post.id}`, { method: "DELETE", token: alice.token })).status).toBe(404);
		const feed = await db().select().from(homeFeed).where(eq(homeFeed.statusId, post.id));
		expect(feed).toEqual([]);
		const [author] = await db().select().from(accounts).where(eq(accounts.id, alice.account.id));
		expect(author?.statusesCount).toBe(0);
		const [parentRow] = await db().select().from(statuses).where(eq(statuses.id, parent.id));
		expect(parentRow?.repliesCount).toBe(0);
		// Media are detached, so a redraft can use them again.
		expect((await postJson("/api/v1/statuses", alice.token, { status: "redraft", media_ids: [media] })).status).toBe(
			200,
		);
	});
});

describe("GET /api/v1/statuses/:id/context", () => {
	it("returns visible ancestors and descendants in thread order", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		const root = await postStatus(alice, { status: "root" });
		const a = await postStatus(bob, { status: "a", in_reply_to_id: root.id });
		const a1 = await postStatus(alice, { status: "a1", in_reply_to_id: a.id });
		const b = await postStatus(carol, { status: "b", in_reply_to_id: root.id });
		const hidden = await postStatus(alice, { status: "private", in_reply_to_id: root.id, visibility: "private" });
		const context = await getJson<{ ancestors: StatusJson[]; descendants: StatusJson[] }>(
			`/api/v1/statuses/${root.id}/context`,
			carol.token,
		);
		expectMatchesSchema("GET", "/api/v1/statuses/{id}/context", 200, context.body);
		expect(context.body.ancestors).toEqual([]);
		expect(context.body.descendants.map((s) => s.id)).toEqual([a.id, a1.id, b.id]);
		const up = await getJson<{ ancestors: StatusJson[] }>(`/api/v1/statuses/${a1.id}/context`);
		expect(up.body.ancestors.map((s) => s.id)).toEqual([root.id, a.id]);
		const own = await getJson<{ descendants: StatusJson[] }>(`/api/v1/statuses/${root.id}/context`, alice.token);
		expect(own.body.descendants.map((s) => s.id)).toContain(hidden.id);
		// Blocked authors disappear from the thread.
		await db()
			.insert(blocks)
			.values({ id: newId(), accountId: carol.account.id, targetAccountId: bob.account.id, createdAt: new Date() });
		const blocked = await getJson<{ descendants: StatusJson[] }>(`/api/v1/statuses/${root.id}/context`, carol.token);
		expect(blocked.body.descendants.map((s) => s.id)).toEqual([a1.id, b.id]);
		expect((await getJson(`/api/v1/statuses/${hidden.id}/context`, carol.token)).status).toBe(404);
	});
});

describe("polls", () => {
	it("votes, shows own votes and refuses bad votes", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		const post = await postStatus(alice, { status: "?", poll: { options: ["x", "y", "z"], expires_in: 600 } });
		const pollId = (post.poll as { id: string }).id;
		const view = await getJson(`/api/v1/polls/${pollId}`);
		expectMatchesSchema("GET", "/api/v1/polls/{id}", 200, view.body);
		expect((await postJson(`/api/v1/polls/${pollId}/votes`, alice.token, { choices: [0] })).status).toBe(422);
		expect((await postJson(`/api/v1/polls/${pollId}/votes`, bob.token, { choices: [0, 1] })).status).toBe(422);
		expect((await postJson(`/api/v1/polls/${pollId}/votes`, bob.token, { choices: [7] })).status).toBe(422);
		expect((await postJson(`/api/v1/polls/${pollId}/votes`, bob.token, { choices: ["a"] })).status).toBe(422);
		const voted = await postJson(`/api/v1/polls/${pollId}/votes`, bob.token, { choices: [1] });
		expect(voted.status).toBe(200);
		const body = await voted.json();
		expectMatchesSchema("POST", "/api/v1/polls/{id}/votes", 200, body);
		expect(body).toMatchObject({ voted: true, own_votes: [1], votes_count: 1, voters_count: 1 });
		expect((await postJson(`/api/v1/polls/${pollId}/votes`, bob.token, { choices: [2] })).status).toBe(422);
		await postJson(`/api/v1/polls/${pollId}/votes`, carol.token, { choices: ["1"] });
		const after = await getJson<{ options: { votes_count: number }[] }>(`/api/v1/polls/${pollId}`, carol.token);
		expect(after.body.options.map((o) => o.votes_count)).toEqual([0, 2, 0]);
		expect((await getJson("/api/v1/polls/999999999999999999")).status).toBe(404);
	});

	it("refuses votes on expired polls and hides polls of hidden posts", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const post = await postStatus(alice, { status: "?", poll: { options: ["x", "y"], expires_in: 600 } });
		const pollId = (post.poll as { id: string }).id;
		const { polls } = await import("../../src/db/schema");
		await db()
			.update(polls)
			.set({ expiresAt: new Date(Date.now() - 1000) })
			.where(eq(polls.id, pollId));
		expect((await postJson(`/api/v1/polls/${pollId}/votes`, bob.token, { choices: [0] })).status).toBe(422);
		const secret = await postStatus(alice, {
			status: "?",
			visibility: "private",
			poll: { options: ["x", "y"], expires_in: 600 },
		});
		expect((await getJson(`/api/v1/polls/${(secret.poll as { id: string }).id}`, bob.token)).status).toBe(404);
	});
});
