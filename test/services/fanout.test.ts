import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { homeFeed, statuses } from "../../src/db/schema";
import { runJob } from "../../src/queues/jobs";
import { appendFanOut } from "../../src/services/statuses/posting";
import type { Statement } from "../../src/services/statuses/writes";
import { fanOutFollowersPage, INLINE_FANOUT_LIMIT } from "../../src/services/timelines/fanout";
import { follow, postStatus } from "../helpers/statuses";
import { createTestUser, db, type TestUser } from "../helpers/users";

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
