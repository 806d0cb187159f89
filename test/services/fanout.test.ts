import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { homeFeed, statuses } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { runJob } from "../../src/queues/jobs";
import { appendFanOut } from "../../src/services/statuses/posting";
import type { Statement } from "../../src/services/statuses/writes";
import { fanOutFollowersPage, INLINE_FANOUT_LIMIT } from "../../src/services/timelines/fanout";
import { follow, getJson, postStatus, type StatusJson } from "../helpers/statuses";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

// Request-level tests share two CPU cores with other suites; allow for slow runs.
vi.setConfig({ testTimeout: 30_000 });

const feedHas = async (user: TestUser, statusId: string) =>
	(await db().select().from(homeFeed).where(eq(homeFeed.accountId, user.account.id))).some(
		(r) => r.statusId === statusId,
	);

describe("fan-out", () => {
	it("leaves followers to the queue above the inline limit", async () => {
		const target = {
			statusId: "1",
			authorId: "2",
			visibility: "public" as const,
			reblogOf: null,
			inReplyToAccountId: null,
			mentionedIds: [],
		};
		const small: Statement[] = [];
		expect(await appendFanOut(db(), small, target, INLINE_FANOUT_LIMIT)).toBe(false);
		expect(small).toHaveLength(2);
		const large: Statement[] = [];
		expect(await appendFanOut(db(), large, target, INLINE_FANOUT_LIMIT + 1)).toBe(true);
		expect(large).toHaveLength(1);
		const direct: Statement[] = [];
		expect(await appendFanOut(db(), direct, { ...target, visibility: "direct" }, 10_000)).toBe(false);
	});

	it("the queued job writes every local follower's entry, page by page", async () => {
		const author = await createTestUser();
		const followers = [await createTestUser(), await createTestUser(), await createTestUser()];
		const post = await postStatus(author, { status: "before anyone followed" });
		for (const f of followers) await follow(f, author);
		for (const f of followers) expect(await feedHas(f, post.id)).toBe(false);

		const target = {
			statusId: post.id,
			authorId: author.account.id,
			visibility: "public" as const,
			reblogOf: null,
			inReplyToAccountId: null,
			mentionedIds: [],
		};
		const first = await fanOutFollowersPage(db(), target, "", 2);
		expect(first.next).not.toBeNull();
		expect((await fanOutFollowersPage(db(), target, first.next as string, 2)).next).toBeNull();
		for (const f of followers) expect(await feedHas(f, post.id)).toBe(true);

		const second = await postStatus(author, { status: "second" });
		await db().delete(homeFeed).where(eq(homeFeed.statusId, second.id));
		await runJob({ type: "timeline.fanout", statusId: second.id }, { env, exec: {} as ExecutionContext, db: db() });
		for (const f of followers) expect(await feedHas(f, second.id)).toBe(true);

		// Deleted posts are not fanned out late.
		const third = await postStatus(author, { status: "third" });
		await db().delete(homeFeed).where(eq(homeFeed.statusId, third.id));
		await db().update(statuses).set({ deletedAt: new Date() }).where(eq(statuses.id, third.id));
		await runJob({ type: "timeline.fanout", statusId: third.id }, { env, exec: {} as ExecutionContext, db: db() });
		for (const f of followers) expect(await feedHas(f, third.id)).toBe(false);
	});
});

/** Puts `count` entries newer than everything so far at the top of `user`'s feed. */
async function pushDown(user: TestUser, count: number) {
	for (let done = 0; done < count; done += 20) {
		await db()
			.insert(homeFeed)
			.values(
				Array.from({ length: Math.min(20, count - done) }, () => ({
					accountId: user.account.id,
					statusId: newId(),
					authorId: user.account.id,
				})),
			);
	}
}

const reblog = (user: TestUser, id: string) =>
	api(`/api/v1/statuses/${id}/reblog`, { method: "POST", token: user.token }).then(
		async (r) => ((await r.json()) as { id: string }).id,
	);

describe("boosts in the home feed, as Mastodon's FeedManager aggregates them", () => {
	it("leaves out a boost of a post among the 40 newest entries, the booster's own feed included", async () => {
		const alice = await createTestUser();
		const me = await createTestUser();
		const fan = await createTestUser();
		await follow(me, alice);
		await follow(fan, alice);
		await follow(fan, me);
		const post = await postStatus(alice, { status: "already seen" });
		const boost = await reblog(me, post.id);
		expect(await feedHas(me, post.id)).toBe(true);
		expect(await feedHas(me, boost)).toBe(false);
		expect(await feedHas(fan, boost)).toBe(false);
		const home = await getJson<StatusJson[]>("/api/v1/timelines/home", me.token);
		expect(home.body.filter((s) => s.id === post.id || s.reblog?.id === post.id)).toHaveLength(1);
	});

	it("brings an older post back with a boost, but only once for several boosters", async () => {
		const alice = await createTestUser();
		const first = await createTestUser();
		const second = await createTestUser();
		const fan = await createTestUser();
		for (const followed of [alice, first, second]) await follow(fan, followed);
		const post = await postStatus(alice, { status: "from long ago" });
		await pushDown(fan, 40);
		const boost = await reblog(first, post.id);
		expect(await feedHas(fan, boost)).toBe(true);
		const again = await reblog(second, post.id);
		expect(await feedHas(fan, again)).toBe(false);
		// Once the first boost has fallen below the newest 40, another boost may surface it again.
		await pushDown(fan, 40);
		await api(`/api/v1/statuses/${post.id}/unreblog`, { method: "POST", token: second.token });
		const later = await reblog(second, post.id);
		expect(await feedHas(fan, later)).toBe(true);
	});

	it("leaves out an original whose boost reached the feed first", async () => {
		const author = await createTestUser();
		const booster = await createTestUser();
		const fan = await createTestUser();
		await follow(fan, booster);
		await follow(fan, author);
		// The original as a remote post would be stored: first its row, then its fan-out.
		const post = await postStatus(author, { status: "late original", visibility: "unlisted" });
		await db().delete(homeFeed).where(eq(homeFeed.statusId, post.id));
		const boost = await reblog(booster, post.id);
		expect(await feedHas(fan, boost)).toBe(true);
		const statements: Statement[] = [];
		await appendFanOut(
			db(),
			statements,
			{
				statusId: post.id,
				authorId: author.account.id,
				visibility: "public",
				reblogOf: null,
				inReplyToAccountId: null,
				mentionedIds: [],
			},
			1,
		);
		await db().batch(statements as [Statement, ...Statement[]]);
		expect(await feedHas(fan, post.id)).toBe(false);
		expect(await feedHas(author, post.id)).toBe(true);
	});
});
