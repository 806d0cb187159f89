import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { accounts, blocks, notifications } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { expectMatchesSchema } from "../helpers/openapi";
import { getJson, postJson, postStatus, type StatusJson } from "../helpers/statuses";
import { createTestUser, db } from "../helpers/users";

// Request-level tests share two CPU cores with other suites; allow for slow runs.
vi.setConfig({ testTimeout: 30_000 });

describe("status visibility and mentions of known remote accounts", () => {
	it("links mentions of cached remote accounts without notifying them", async () => {
		const alice = await createTestUser();
		const username = `remote${Date.now().toString(36)}`;
		const remoteId = newId();
		await db()
			.insert(accounts)
			.values({
				id: remoteId,
				username,
				domain: "remote.example",
				uri: `https://remote.example/users/${username}`,
				url: `https://remote.example/@${username}`,
				createdAt: new Date(),
				updatedAt: new Date(),
			});
		const post = await postStatus(alice, { status: `hey @${username}@Remote.Example` });
		expectMatchesSchema("POST", "/api/v1/statuses", 200, post);
		expect(post.mentions).toEqual([
			{ id: remoteId, username, acct: `${username}@remote.example`, url: `https://remote.example/@${username}` },
		]);
		expect(post.content).toContain(`href="https://remote.example/@${username}"`);
		const notes = await db().select().from(notifications).where(eq(notifications.accountId, remoteId));
		expect(notes).toEqual([]);
	});

	it("hides an author's posts from accounts they block", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const post = await postStatus(alice, { status: "not for bob" });
		await db()
			.insert(blocks)
			.values({ id: newId(), accountId: alice.account.id, targetAccountId: bob.account.id, createdAt: new Date() });
		expect((await getJson(`/api/v1/statuses/${post.id}`, bob.token)).status).toBe(404);
		expect((await postJson(`/api/v1/statuses/${post.id}/favourite`, bob.token)).status).toBe(404);
		expect((await getJson(`/api/v1/statuses/${post.id}`)).status).toBe(200);
		const pub = await getJson<StatusJson[]>("/api/v1/timelines/public?limit=40", bob.token);
		expect(pub.body.map((s) => s.id)).not.toContain(post.id);
	});

	it("mentioned accounts can see and reply to private posts", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const post = await postStatus(alice, { status: `@${bob.account.username} just us`, visibility: "private" });
		expect((await getJson(`/api/v1/statuses/${post.id}`, bob.token)).status).toBe(200);
		const reply = await postJson("/api/v1/statuses", bob.token, {
			status: "ok",
			in_reply_to_id: post.id,
			visibility: "private",
		});
		expect(reply.status).toBe(200);
		const favourited = await postJson(`/api/v1/statuses/${post.id}/favourite`, bob.token);
		expect(favourited.status).toBe(200);
	});
});
