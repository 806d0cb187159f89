import { describe, expect, it, vi } from "vitest";
import { expectMatchesSchema } from "../helpers/openapi";
import { getJson, postJson, postStatus } from "../helpers/statuses";
import { api, createTestUser } from "../helpers/users";

// Request-level tests share two CPU cores with other suites; allow for slow runs.
vi.setConfig({ testTimeout: 30_000 });

interface ConversationJson {
	id: string;
	unread: boolean;
	accounts: { id: string }[];
	last_status: { id: string } | null;
}

describe("/api/v1/conversations", () => {
	it("lists direct threads per participant, marks read and deletes", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		const dm = await postStatus(alice, { status: `hi @${bob.account.username}`, visibility: "direct" });
		await postStatus(alice, { status: "not a dm" });

		const mine = await getJson<ConversationJson[]>("/api/v1/conversations", alice.token);
		expectMatchesSchema("GET", "/api/v1/conversations", 200, mine.body);
		expect(mine.body).toHaveLength(1);
		expect(mine.body[0]).toMatchObject({
			unread: false,
			accounts: [{ id: bob.account.id }],
			last_status: { id: dm.id },
		});

		const theirs = await getJson<ConversationJson[]>("/api/v1/conversations", bob.token);
		expect(theirs.body).toMatchObject([
			{ unread: true, accounts: [{ id: alice.account.id }], last_status: { id: dm.id } },
		]);
		expect((await getJson<ConversationJson[]>("/api/v1/conversations", carol.token)).body).toEqual([]);

		const reply = await postStatus(bob, {
			status: `@${alice.account.username} hello`,
			visibility: "direct",
			in_reply_to_id: dm.id,
		});
		const updated = await getJson<ConversationJson[]>("/api/v1/conversations", alice.token);
		expect(updated.body).toHaveLength(1);
		expect(updated.body[0]).toMatchObject({ unread: true, last_status: { id: reply.id } });

		const conversationId = updated.body[0]?.id as string;
		expect((await postJson(`/api/v1/conversations/${conversationId}/read`, bob.token)).status).toBe(404);
		const read = await postJson(`/api/v1/conversations/${conversationId}/read`, alice.token);
		const readBody = await read.json();
		expectMatchesSchema("POST", "/api/v1/conversations/{id}/read", 200, readBody);
		expect(readBody).toMatchObject({ unread: false });

		const removed = await api(`/api/v1/conversations/${conversationId}`, { method: "DELETE", token: alice.token });
		expect(removed.status).toBe(200);
		expect((await getJson<ConversationJson[]>("/api/v1/conversations", alice.token)).body).toEqual([]);
		expect((await getJson<ConversationJson[]>("/api/v1/conversations", bob.token)).body).toHaveLength(1);
	});
});
