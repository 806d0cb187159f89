import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { accounts } from "../../src/db/schema";
import { expectMatchesSchema } from "../helpers/openapi";
import { follow, getJson, postStatus } from "../helpers/statuses";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

vi.setConfig({ testTimeout: 60_000 });

interface SuggestionJson {
	source: string;
	sources: string[];
	account: { id: string; username: string };
}

const suggested = async (user: TestUser) =>
	(await getJson<SuggestionJson[]>("/api/v2/suggestions?limit=80", user.token)).body;

describe("follow suggestions", () => {
	it("suggests whom the people you follow follow, most shared first, then active accounts here", async () => {
		const me = await createTestUser();
		const [friendA, friendB] = [await createTestUser(), await createTestUser()];
		const popular = await createTestUser();
		const lessPopular = await createTestUser();
		const blocked = await createTestUser();
		const muted = await createTestUser();
		const dismissed = await createTestUser();
		const alreadyFollowed = await createTestUser();
		const hidden = await createTestUser();
		await follow(me, friendA);
		await follow(me, friendB);
		await follow(me, alreadyFollowed);
		for (const friend of [friendA, friendB]) {
			await follow(friend, popular);
			for (const other of [blocked, muted, dismissed, alreadyFollowed, hidden]) await follow(friend, other);
		}
		await follow(friendA, lessPopular);
		await db().update(accounts).set({ discoverable: false }).where(eq(accounts.id, hidden.account.id));
		await api(`/api/v1/accounts/${blocked.account.id}/block`, { method: "POST", token: me.token });
		await api(`/api/v1/accounts/${muted.account.id}/mute`, { method: "POST", token: me.token });
		const active = await createTestUser();
		await postStatus(active, { status: "I post here" });

		const response = await getJson<SuggestionJson[]>("/api/v2/suggestions?limit=80", me.token);
		expect(response.status).toBe(200);
		expectMatchesSchema("GET", "/api/v2/suggestions", 200, response.body);
		const ids = response.body.map((s) => s.account.id);
		expect(ids.indexOf(popular.account.id)).toBeGreaterThanOrEqual(0);
		expect(ids.indexOf(popular.account.id)).toBeLessThan(ids.indexOf(lessPopular.account.id));
		expect(response.body.find((s) => s.account.id === popular.account.id)).toMatchObject({
			source: "past_interactions",
			sources: ["friends_of_friends"],
		});
		expect(response.body.find((s) => s.account.id === active.account.id)?.sources).toContain("most_followed");
		for (const left of [me, blocked, muted, alreadyFollowed, hidden]) expect(ids).not.toContain(left.account.id);

		const removed = await api(`/api/v1/suggestions/${dismissed.account.id}`, { method: "DELETE", token: me.token });
		expect(removed.status).toBe(200);
		expect(await removed.json()).toEqual({});
		expect((await suggested(me)).map((s) => s.account.id)).not.toContain(dismissed.account.id);
		expect((await api("/api/v1/suggestions/0", { method: "DELETE", token: me.token })).status).toBe(404);

		const v1 = await getJson<{ id: string }[]>("/api/v1/suggestions", me.token);
		expectMatchesSchema("GET", "/api/v1/suggestions", 200, v1.body);
		expect(v1.body.map((a) => a.id)).toContain(popular.account.id);
	});

	it("needs a token with read access", async () => {
		expect((await api("/api/v2/suggestions")).status).toBe(401);
		const writer = await createTestUser({ scopes: "write" });
		expect((await api("/api/v2/suggestions", { token: writer.token })).status).toBe(403);
	});
});

describe("GET /api/v1/directory", () => {
	it("lists discoverable accounts, latest active or newest first, local ones alone if asked", async () => {
		const quiet = await createTestUser();
		const talker = await createTestUser();
		const hidden = await createTestUser();
		await db().update(accounts).set({ discoverable: false }).where(eq(accounts.id, hidden.account.id));
		await postStatus(talker, { status: "latest post" });
		const active = await getJson<{ id: string }[]>("/api/v1/directory?limit=80&local=true");
		expect(active.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/directory", 200, active.body);
		const ids = active.body.map((a) => a.id);
		// Accounts that never posted come last.
		expect(ids.indexOf(talker.account.id)).toBeGreaterThanOrEqual(0);
		expect(ids.indexOf(talker.account.id)).toBeLessThan(ids.indexOf(quiet.account.id));
		expect(ids).not.toContain(hidden.account.id);
		const newest = await getJson<{ id: string }[]>("/api/v1/directory?order=new&limit=80&local=true");
		const order = newest.body.map((a) => a.id);
		expect(order.indexOf(talker.account.id)).toBeLessThan(order.indexOf(quiet.account.id));
		const paged = await getJson<{ id: string }[]>("/api/v1/directory?order=new&limit=1&local=true");
		expect(paged.response.headers.get("Link")).toMatch(/rel="next"/);
		// A viewer does not see accounts they block.
		await api(`/api/v1/accounts/${talker.account.id}/block`, { method: "POST", token: quiet.token });
		const forQuiet = await getJson<{ id: string }[]>("/api/v1/directory?limit=80&local=true", quiet.token);
		expect(forQuiet.body.map((a) => a.id)).not.toContain(talker.account.id);
	});
});
