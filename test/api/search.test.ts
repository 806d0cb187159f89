import { describe, expect, it } from "vitest";
import { expectMatchesSchema } from "../helpers/openapi";
import { post } from "../helpers/posts";
import { createRemoteAccount } from "../helpers/remote-accounts";
import { api, createTestUser } from "../helpers/users";

interface SearchJson {
	accounts: { id: string }[];
	statuses: { id: string }[];
	hashtags: { name: string }[];
}

async function search(query: string, token?: string): Promise<{ status: number; body: SearchJson }> {
	const response = await api(`/api/v2/search?${query}`, token ? { token } : {});
	const body = (await response.json()) as SearchJson;
	if (response.status === 200) expectMatchesSchema("GET", "/api/v2/search", 200, body);
	return { status: response.status, body };
}

describe("GET /api/v2/search", () => {
	it("finds accounts by name and hashtags by prefix", async () => {
		const stamp = Date.now().toString(36);
		const alice = await createTestUser({ username: `plover${stamp}` });
		const tagged = await post(alice.account, `#plover${stamp}watch and #plover${stamp}`);
		const { status, body } = await search(`q=plover${stamp}`, alice.token);
		expect(status).toBe(200);
		expect(body.accounts.map((a) => a.id)).toEqual([alice.account.id]);
		expect(body.hashtags.map((t) => t.name)).toEqual([`plover${stamp}`, `plover${stamp}watch`]);
		// Her own post is found by its text (see search-statuses.test.ts).
		expect(body.statuses.map((s) => s.id)).toEqual([tagged.id]);
		const onlyTags = await search(`q=%23plover${stamp}&type=hashtags`, alice.token);
		expect(onlyTags.body.accounts).toEqual([]);
		expect(onlyTags.body.hashtags).toHaveLength(2);
	});

	it("looks up known statuses and accounts by URL, hiding what the viewer may not see", async () => {
		const alice = await createTestUser();
		const stranger = await createTestUser();
		const open = await post(alice.account, "hello");
		const quiet = await post(alice.account, "friends only", "private");
		const remote = await createRemoteAccount();
		expect((await search(`q=${encodeURIComponent(open.uri)}`, stranger.token)).body.statuses.map((s) => s.id)).toEqual([
			open.id,
		]);
		expect((await search(`q=${encodeURIComponent(quiet.uri)}`, stranger.token)).body.statuses).toEqual([]);
		expect((await search(`q=${encodeURIComponent(quiet.uri)}`, alice.token)).body.statuses.map((s) => s.id)).toEqual([
			quiet.id,
		]);
		const byUrl = await search(`q=${encodeURIComponent(remote.url ?? "")}`, alice.token);
		expect(byUrl.body.accounts.map((a) => a.id)).toEqual([remote.id]);
	});

	it("refuses bad input and needs a user to page or resolve", async () => {
		expect((await search("q=")).status).toBe(422);
		expect((await search("q=x&type=everything")).status).toBe(422);
		expect((await search("q=x&offset=5")).status).toBe(401);
		expect((await search("q=x")).status).toBe(200);
		const noScope = await createTestUser({ scopes: "write" });
		expect((await search("q=x", noScope.token)).status).toBe(403);
	});
});
