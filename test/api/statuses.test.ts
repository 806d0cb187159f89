import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import {
	accounts,
	follows,
	homeFeed,
	mediaAttachments,
	notifications,
	statuses,
	statusTags,
	tags,
} from "../../src/db/schema";
import { expectMatchesSchema } from "../helpers/openapi";
import { follow, getJson, postJson, postStatus, type StatusJson, uploadedMedia } from "../helpers/statuses";
import { createTestUser, db } from "../helpers/users";

// Request-level tests share two CPU cores with other suites; allow for slow runs.
vi.setConfig({ testTimeout: 30_000 });

describe("POST /api/v1/statuses", () => {
	it("creates a status with linked mentions, hashtags and URLs", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const response = await postJson("/api/v1/statuses", alice.token, {
			status: `Hello @${bob.account.username} and @nobody@unknown.example! #Terns https://example.com/x`,
			language: "en",
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as StatusJson;
		expectMatchesSchema("POST", "/api/v1/statuses", 200, body);
		expect(body).toMatchObject({
			visibility: "public",
			language: "en",
			sensitive: false,
			spoiler_text: "",
			replies_count: 0,
			favourites_count: 0,
			reblogs_count: 0,
			favourited: false,
			reblogged: false,
			bookmarked: false,
			pinned: false,
			muted: false,
			edited_at: null,
			reblog: null,
			poll: null,
			card: null,
			uri: `https://tern.test/users/${alice.account.username}/statuses/${body.id}`,
			url: `https://tern.test/@${alice.account.username}/${body.id}`,
			mentions: [{ id: bob.account.id, username: bob.account.username, acct: bob.account.username }],
			tags: [{ name: "terns", url: "https://tern.test/tags/terns" }],
		});
		expect(body.content).toContain(`href="https://tern.test/@${bob.account.username}" class="u-url mention"`);
		expect(body.content).toContain("@nobody@unknown.example");
		expect(body.content).toContain('href="https://tern.test/tags/terns"');
		expect(body.content).toContain('href="https://example.com/x"');

		const [author] = await db().select().from(accounts).where(eq(accounts.id, alice.account.id));
		expect(author?.statusesCount).toBe(1);
		expect(author?.lastStatusAt).not.toBeNull();
		const tagRows = await db()
			.select({ name: tags.name })
			.from(statusTags)
			.innerJoin(tags, eq(tags.id, statusTags.tagId))
			.where(eq(statusTags.statusId, body.id));
		expect(tagRows).toEqual([{ name: "terns" }]);
		const mention = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.accountId, bob.account.id), eq(notifications.statusId, body.id)));
		expect(mention.map((n) => n.type)).toEqual(["mention"]);
	});

	it("uses the user's default privacy and accepts form bodies", async () => {
		const alice = await createTestUser();
		await db()
			.update((await import("../../src/db/schema")).users)
			.set({ defaultPrivacy: "unlisted" })
			.where(eq((await import("../../src/db/schema")).users.id, alice.user.id));
		const response = await postJson("/api/v1/statuses", alice.token, { status: "hi" });
		expect(((await response.json()) as StatusJson).visibility).toBe("unlisted");
		const form = await fetchForm(alice.token, "status=form+post&visibility=private&spoiler_text=cw");
		expect(form.status).toBe(200);
		const body = (await form.json()) as StatusJson;
		expect(body).toMatchObject({
			visibility: "private",
			spoiler_text: "cw",
			sensitive: true,
			content: "<p>form post</p>",
		});
	});

	it("refuses bad input with 422 and changes nothing", async () => {
		const alice = await createTestUser();
		const cases: Record<string, unknown>[] = [
			{},
			{ status: "   " },
			{ status: "x".repeat(501) },
			{ status: "hi", visibility: "everyone" },
			{ status: "hi", poll: { options: ["only one"], expires_in: 600 } },
			{ status: "hi", poll: { options: ["a", "b", "c", "d", "e"], expires_in: 600 } },
			{ status: "hi", poll: { options: ["a", "b"], expires_in: 10 } },
			{ status: "hi", poll: { options: ["a", "b"], expires_in: 3_000_000 } },
			{ status: "hi", poll: { options: ["a", "b"] } },
			{ status: "hi", media_ids: ["1", "2", "3", "4", "5"] },
			{ status: "hi", media_ids: ["123456789012345678"] },
			{ status: "hi", sensitive: "maybe" },
			{ status: "later", scheduled_at: "2030-01-01T00:00:00Z" },
		];
		for (const body of cases) {
			const response = await postJson("/api/v1/statuses", alice.token, body);
			expect(response.status, JSON.stringify(body)).toBe(422);
			const error = (await response.json()) as { error: string };
			expect(typeof error.error).toBe("string");
		}
		const rows = await db().select().from(statuses).where(eq(statuses.accountId, alice.account.id));
		expect(rows).toEqual([]);
	});

	it("says clearly that scheduled posts are not supported", async () => {
		const alice = await createTestUser();
		const response = await postJson("/api/v1/statuses", alice.token, {
			status: "x",
			scheduled_at: "2031-01-01T00:00:00Z",
		});
		expect(await response.json()).toEqual({ error: "Scheduled posts are not supported by this server" });
	});

	it("requires write:statuses", async () => {
		const reader = await createTestUser({ scopes: "read" });
		expect((await postJson("/api/v1/statuses", reader.token, { status: "hi" })).status).toBe(403);
		const writer = await createTestUser({ scopes: "write:statuses" });
		expect((await postJson("/api/v1/statuses", writer.token, { status: "hi" })).status).toBe(200);
		expect((await postJson("/api/v1/statuses", "", { status: "hi" })).status).toBe(401);
	});

	it("attaches the poster's own unattached media, at most four", async () => {
		const alice = await createTestUser();
		const mallory = await createTestUser();
		const mine = await uploadedMedia(alice, "first");
		const theirs = await uploadedMedia(mallory);
		expect((await postJson("/api/v1/statuses", alice.token, { status: "x", media_ids: [theirs] })).status).toBe(422);
		const body = await postStatus(alice, { status: "", media_ids: [mine] });
		expectMatchesSchema("POST", "/api/v1/statuses", 200, body);
		expect(body.media_attachments).toMatchObject([
			{ id: mine, type: "image", description: "first", meta: { original: { width: 640, height: 480 } } },
		]);
		const [row] = await db().select().from(mediaAttachments).where(eq(mediaAttachments.id, mine));
		expect(row?.statusId).toBe(body.id);
		// Already attached: cannot be attached again.
		expect((await postJson("/api/v1/statuses", alice.token, { status: "again", media_ids: [mine] })).status).toBe(422);
		const poll = { options: ["a", "b"], expires_in: 600 };
		const other = await uploadedMedia(alice);
		expect((await postJson("/api/v1/statuses", alice.token, { status: "x", media_ids: [other], poll })).status).toBe(
			422,
		);
	});

	it("creates polls", async () => {
		const alice = await createTestUser();
		const body = await postStatus(alice, {
			status: "Which?",
			poll: { options: ["Arctic", "Sandwich"], expires_in: 3600, multiple: true, hide_totals: false },
		});
		expectMatchesSchema("POST", "/api/v1/statuses", 200, body);
		expect(body.poll).toMatchObject({
			expired: false,
			multiple: true,
			votes_count: 0,
			voted: true,
			own_votes: [],
			options: [
				{ title: "Arctic", votes_count: 0 },
				{ title: "Sandwich", votes_count: 0 },
			],
		});
	});

	it("reads polls and media ids from form bodies, as Rails clients send them", async () => {
		const alice = await createTestUser();
		const poll = await fetchForm(
			alice.token,
			"status=vote&poll[options][]=yes&poll[options][]=no&poll[expires_in]=600&poll[multiple]=true",
		);
		expect(poll.status).toBe(200);
		expect(((await poll.json()) as { poll: { multiple: boolean; options: unknown[] } }).poll).toMatchObject({
			multiple: true,
			options: [{ title: "yes" }, { title: "no" }],
		});
		const media = await uploadedMedia(alice);
		const withMedia = await fetchForm(alice.token, `status=pic&media_ids[]=${media}&sensitive=1`);
		expect(withMedia.status).toBe(200);
		expect(await withMedia.json()).toMatchObject({ sensitive: true, media_attachments: [{ id: media }] });
	});

	it("replies: parent must be visible, counts and conversation are kept", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const parent = await postStatus(alice, { status: "root" });
		const reply = await postStatus(bob, { status: "reply", in_reply_to_id: parent.id });
		expect(reply).toMatchObject({ in_reply_to_id: parent.id, in_reply_to_account_id: alice.account.id });
		const [parentRow, replyRow] = await Promise.all(
			[parent.id, reply.id].map(async (id) => (await db().select().from(statuses).where(eq(statuses.id, id)))[0]),
		);
		expect(parentRow?.repliesCount).toBe(1);
		expect(replyRow?.conversationId).toBe(parentRow?.conversationId);
		const secret = await postStatus(alice, { status: "secret", visibility: "private" });
		const hidden = await postJson("/api/v1/statuses", bob.token, { status: "x", in_reply_to_id: secret.id });
		expect(hidden.status).toBe(404);
		const unknown = await postJson("/api/v1/statuses", bob.token, {
			status: "x",
			in_reply_to_id: "999999999999999999",
		});
		expect(unknown.status).toBe(404);
	});

	it("returns the same status for a repeated Idempotency-Key", async () => {
		const alice = await createTestUser();
		const headers = { "Idempotency-Key": "abc-123" };
		const first = await postJson("/api/v1/statuses", alice.token, { status: "once" }, "POST", headers);
		const second = await postJson("/api/v1/statuses", alice.token, { status: "once" }, "POST", headers);
		const a = (await first.json()) as StatusJson;
		const b = (await second.json()) as StatusJson;
		expect(b.id).toBe(a.id);
		const bob = await createTestUser();
		const other = await postJson("/api/v1/statuses", bob.token, { status: "once" }, "POST", headers);
		expect(((await other.json()) as StatusJson).id).not.toBe(a.id);
	});

	it("fans out to the author, local followers and, for direct posts, only the mentioned", async () => {
		const author = await createTestUser();
		const follower = await createTestUser();
		const stranger = await createTestUser();
		const mentioned = await createTestUser();
		await follow(follower, author);
		const feedOf = async (user: { account: { id: string } }) =>
			(await db().select().from(homeFeed).where(eq(homeFeed.accountId, user.account.id))).map((r) => r.statusId);
		const pub = await postStatus(author, { status: "public" });
		const priv = await postStatus(author, { status: `private @${mentioned.account.username}`, visibility: "private" });
		const dm = await postStatus(author, { status: `dm @${mentioned.account.username}`, visibility: "direct" });
		expect(await feedOf(author)).toEqual(expect.arrayContaining([pub.id, priv.id, dm.id]));
		const followerFeed = await feedOf(follower);
		expect(followerFeed).toEqual(expect.arrayContaining([pub.id, priv.id]));
		expect(followerFeed).not.toContain(dm.id);
		expect(await feedOf(stranger)).toEqual([]);
		expect((await feedOf(mentioned)).sort()).toEqual([priv.id, dm.id].sort());
	});
});

async function fetchForm(token: string, body: string): Promise<Response> {
	const { api } = await import("../helpers/users");
	return api("/api/v1/statuses", {
		method: "POST",
		token,
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body,
	});
}

describe("GET /api/v1/statuses/:id", () => {
	it("shows public posts to anyone and hides private and direct posts from others with 404", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const follower = await createTestUser();
		const mentioned = await createTestUser();
		await follow(follower, alice);
		const pub = await postStatus(alice, { status: "hello" });
		const anonymous = await getJson(`/api/v1/statuses/${pub.id}`);
		expect(anonymous.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/statuses/{id}", 200, anonymous.body);
		expect(anonymous.body).not.toHaveProperty("favourited");

		const priv = await postStatus(alice, { status: "followers only", visibility: "private" });
		const dm = await postStatus(alice, { status: `psst @${mentioned.account.username}`, visibility: "direct" });
		for (const id of [priv.id, dm.id]) {
			const hidden = await getJson(`/api/v1/statuses/${id}`, bob.token);
			expect(hidden.status).toBe(404);
			expectMatchesSchema("GET", "/api/v1/statuses/{id}", 404, hidden.body);
			expect((await getJson(`/api/v1/statuses/${id}`)).status).toBe(404);
			expect((await getJson(`/api/v1/statuses/${id}`, alice.token)).status).toBe(200);
		}
		expect((await getJson(`/api/v1/statuses/${priv.id}`, follower.token)).status).toBe(200);
		expect((await getJson(`/api/v1/statuses/${dm.id}`, follower.token)).status).toBe(404);
		expect((await getJson(`/api/v1/statuses/${dm.id}`, mentioned.token)).status).toBe(200);
		expect((await getJson("/api/v1/statuses/999999999999999999")).status).toBe(404);
		expect((await getJson("/api/v1/statuses/not-an-id")).status).toBe(404);
	});

	it("refuses a token without a reading scope", async () => {
		const alice = await createTestUser();
		const post = await postStatus(alice, { status: "x" });
		const writer = await createTestUser({ scopes: "write" });
		expect((await getJson(`/api/v1/statuses/${post.id}`, writer.token)).status).toBe(403);
	});

	it("tells followers who rang the bell about new posts, not about direct ones", async () => {
		const alice = await createTestUser();
		const fan = await createTestUser();
		await follow(fan, alice);
		await db()
			.update(follows)
			.set({ notify: true })
			.where(and(eq(follows.accountId, fan.account.id), eq(follows.targetAccountId, alice.account.id)));
		const post = await postStatus(alice, { status: "news" });
		await postStatus(alice, { status: `dm @${fan.account.username}`, visibility: "direct" });
		const notes = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.accountId, fan.account.id), eq(notifications.type, "status")));
		expect(notes.map((n) => n.statusId)).toEqual([post.id]);
	});

	it("lists several statuses at once, leaving out hidden ones", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const a = await postStatus(alice, { status: "a" });
		const b = await postStatus(alice, { status: "b", visibility: "private" });
		const { body } = await getJson<StatusJson[]>(`/api/v1/statuses?id[]=${a.id}&id[]=${b.id}`, bob.token);
		expectMatchesSchema("GET", "/api/v1/statuses", 200, body);
		expect(body.map((s) => s.id)).toEqual([a.id]);
	});
});
