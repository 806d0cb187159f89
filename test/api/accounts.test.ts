import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts } from "../../src/db/schema";
import { expectMatchesSchema } from "../helpers/openapi";
import { post } from "../helpers/posts";
import { createRemoteAccount } from "../helpers/remote-accounts";
import { postStatus, uploadedMedia } from "../helpers/statuses";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

interface AccountJson {
	id: string;
	acct: string;
	[key: string]: unknown;
}

const follow = (user: TestUser, targetId: string) =>
	api(`/api/v1/accounts/${targetId}/follow`, { method: "POST", token: user.token });

async function getJson<T>(path: string, token?: string): Promise<{ status: number; body: T; response: Response }> {
	const response = await api(path, token ? { token } : {});
	return { status: response.status, body: (await response.json()) as T, response };
}

describe("GET /api/v1/accounts/:id and lookup", () => {
	it("shows local and remote accounts without a token", async () => {
		const alice = await createTestUser();
		const remote = await createRemoteAccount({ domain: "mastodon.example" });
		const local = await getJson<AccountJson>(`/api/v1/accounts/${alice.account.id}`);
		expect(local.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/accounts/{id}", 200, local.body);
		expect(local.body.acct).toBe(alice.account.username);
		const far = await getJson<AccountJson>(`/api/v1/accounts/${remote.id}`);
		expect(far.body.acct).toBe(`${remote.username}@mastodon.example`);
		const missing = await getJson(`/api/v1/accounts/999999999999999999`);
		expect(missing.status).toBe(404);
		expectMatchesSchema("GET", "/api/v1/accounts/{id}", 404, missing.body);
	});

	it("looks accounts up by acct, case-insensitively, with or without this domain", async () => {
		const alice = await createTestUser();
		const remote = await createRemoteAccount({ domain: "gts.example" });
		for (const acct of [
			alice.account.username,
			alice.account.username.toUpperCase(),
			`@${alice.account.username}@tern.test`,
		]) {
			const { status, body } = await getJson<AccountJson>(`/api/v1/accounts/lookup?acct=${encodeURIComponent(acct)}`);
			expect(status).toBe(200);
			expectMatchesSchema("GET", "/api/v1/accounts/lookup", 200, body);
			expect(body.id).toBe(alice.account.id);
		}
		const far = await getJson<AccountJson>(`/api/v1/accounts/lookup?acct=${remote.username}@gts.example`);
		expect(far.body.id).toBe(remote.id);
		expect((await getJson("/api/v1/accounts/lookup?acct=nobody@nowhere.example")).status).toBe(404);
		expect((await getJson("/api/v1/accounts/lookup")).status).toBe(422);
	});
});

describe("GET /api/v1/accounts/search", () => {
	it("finds local and known remote accounts by username prefix and display name", async () => {
		const alice = await createTestUser();
		const stamp = Date.now().toString(36);
		const local = await createTestUser({ username: `heron${stamp}` });
		const remote = await createRemoteAccount({ username: `heron${stamp}`, domain: "birds.example" });
		await db()
			.update(accounts)
			.set({ displayName: `Grey Heron ${stamp}` })
			.where(eq(accounts.id, alice.account.id));
		const { status, body } = await getJson<AccountJson[]>(`/api/v1/accounts/search?q=heron${stamp}`, alice.token);
		expect(status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/accounts/search", 200, body);
		expect(body.map((a) => a.id)).toEqual([local.account.id, remote.id]);
		const byName = await getJson<AccountJson[]>(
			`/api/v1/accounts/search?q=${encodeURIComponent(`grey heron ${stamp}`)}`,
			alice.token,
		);
		expect(byName.body.map((a) => a.id)).toEqual([alice.account.id]);
		const exact = await getJson<AccountJson[]>(`/api/v1/accounts/search?q=heron${stamp}@birds.example`, alice.token);
		expect(exact.body.map((a) => a.id)).toEqual([remote.id]);
		await follow(alice, remote.id);
		// A remote follow is only requested, so `following` finds nobody yet.
		const following = await getJson<AccountJson[]>(
			`/api/v1/accounts/search?q=heron${stamp}&following=true`,
			alice.token,
		);
		expect(following.body).toEqual([]);
		expect((await getJson("/api/v1/accounts/search?q=x")).status).toBe(401);
		expect((await getJson("/api/v1/accounts/search", alice.token)).status).toBe(422);
	});

	it("treats LIKE wildcards literally", async () => {
		const alice = await createTestUser();
		const { body } = await getJson<AccountJson[]>("/api/v1/accounts/search?q=%25", alice.token);
		expect(body).toEqual([]);
	});
});

describe("followers and following", () => {
	it("pages followers with Link headers", async () => {
		const target = await createTestUser();
		const fans: TestUser[] = [];
		for (let i = 0; i < 3; i++) {
			const fan = await createTestUser();
			fans.push(fan);
			await follow(fan, target.account.id);
		}
		const first = await api(`/api/v1/accounts/${target.account.id}/followers?limit=2`);
		const page = (await first.json()) as AccountJson[];
		expectMatchesSchema("GET", "/api/v1/accounts/{id}/followers", 200, page);
		expect(page.map((a) => a.id)).toEqual([fans[2]?.account.id, fans[1]?.account.id]);
		const next = new URL(/<([^>]+)>; rel="next"/.exec(first.headers.get("Link") ?? "")?.[1] as string);
		const rest = (await (await api(next.pathname + next.search)).json()) as AccountJson[];
		expect(rest.map((a) => a.id)).toEqual([fans[0]?.account.id]);
		const following = await getJson<AccountJson[]>(`/api/v1/accounts/${fans[0]?.account.id}/following`);
		expectMatchesSchema("GET", "/api/v1/accounts/{id}/following", 200, following.body);
		expect(following.body.map((a) => a.id)).toEqual([target.account.id]);
		expect((await getJson("/api/v1/accounts/999999999999999999/followers")).status).toBe(404);
	});

	it("hides the lists when the owner asks, except from the owner", async () => {
		const owner = await createTestUser();
		const fan = await createTestUser();
		await follow(fan, owner.account.id);
		await db().update(accounts).set({ hideCollections: true }).where(eq(accounts.id, owner.account.id));
		expect((await getJson(`/api/v1/accounts/${owner.account.id}/followers`)).body).toEqual([]);
		const own = await getJson<AccountJson[]>(`/api/v1/accounts/${owner.account.id}/followers`, owner.token);
		expect(own.body.map((a) => a.id)).toEqual([fan.account.id]);
	});

	it("lists familiar followers: accounts I follow who follow them", async () => {
		const me = await createTestUser();
		const friend = await createTestUser();
		const stranger = await createTestUser();
		const target = await createTestUser();
		await follow(me, friend.account.id);
		await follow(friend, target.account.id);
		await follow(stranger, target.account.id);
		const { status, body } = await getJson<{ id: string; accounts: AccountJson[] }[]>(
			`/api/v1/accounts/familiar_followers?id[]=${target.account.id}&id[]=${stranger.account.id}`,
			me.token,
		);
		expect(status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/accounts/familiar_followers", 200, body);
		expect(body.map((f) => [f.id, f.accounts.map((a) => a.id)])).toEqual([
			[target.account.id, [friend.account.id]],
			[stranger.account.id, []],
		]);
	});
});

describe("GET /api/v1/accounts/:id/statuses", () => {
	it("shows what the viewer may see, with the filters Mastodon offers", async () => {
		const author = await createTestUser();
		const follower = await createTestUser();
		const stranger = await createTestUser();
		await follow(follower, author.account.id);
		const open = await post(author.account, "public post #birds");
		const quiet = await post(author.account, "followers only", "private");
		const strangerPost = await post(stranger.account, "a question");
		const reply = await postStatus(author, {
			status: `@${stranger.account.username} an answer`,
			in_reply_to_id: strangerPost.id,
		});
		const direct = await post(author.account, `@${follower.account.username} secret`, "direct");
		const ids = async (token: string | undefined, query = "") => {
			const { status, body } = await getJson<{ id: string }[]>(
				`/api/v1/accounts/${author.account.id}/statuses${query}`,
				token,
			);
			expect(status).toBe(200);
			expectMatchesSchema("GET", "/api/v1/accounts/{id}/statuses", 200, body);
			return body.map((s) => s.id);
		};
		expect(await ids(undefined)).toEqual([reply.id, open.id]);
		expect(await ids(stranger.token)).toEqual([reply.id, open.id]);
		expect(await ids(follower.token)).toEqual([direct.id, reply.id, quiet.id, open.id]);
		expect(await ids(author.token)).toEqual([direct.id, reply.id, quiet.id, open.id]);
		expect(await ids(undefined, "?tagged=Birds")).toEqual([open.id]);
		expect(await ids(undefined, "?limit=1")).toEqual([reply.id]);
		expect(await ids(undefined, "?exclude_replies=true")).toEqual([open.id]);
	});

	it("filters boosts, media and pinned posts", async () => {
		const author = await createTestUser();
		const other = await createTestUser();
		const theirs = await post(other.account, "worth sharing");
		const plain = await post(author.account, "plain");
		const media = await postStatus(author, { status: "look", media_ids: [await uploadedMedia(author)] });
		const boost = await api(`/api/v1/statuses/${theirs.id}/reblog`, { method: "POST", token: author.token });
		const boostId = ((await boost.json()) as { id: string }).id;
		expect((await api(`/api/v1/statuses/${plain.id}/pin`, { method: "POST", token: author.token })).status).toBe(200);
		const ids = async (query: string) =>
			((await (await api(`/api/v1/accounts/${author.account.id}/statuses${query}`)).json()) as { id: string }[]).map(
				(s) => s.id,
			);
		expect(await ids("")).toEqual([boostId, media.id, plain.id]);
		expect(await ids("?exclude_reblogs=true")).toEqual([media.id, plain.id]);
		expect(await ids("?only_media=true")).toEqual([media.id]);
		expect(await ids("?pinned=true")).toEqual([plain.id]);
		expect((await api(`/api/v1/accounts/${author.account.id}/statuses?limit=abc`)).status).toBe(422);
	});

	it("shows nothing to a viewer the author blocks", async () => {
		const author = await createTestUser();
		const viewer = await createTestUser();
		await post(author.account, "hello");
		await api(`/api/v1/accounts/${viewer.account.id}/block`, { method: "POST", token: author.token });
		expect((await getJson(`/api/v1/accounts/${author.account.id}/statuses`, viewer.token)).body).toEqual([]);
	});
});

describe("home feed on follow, unfollow and block", () => {
	const home = async (user: TestUser) =>
		((await (await api("/api/v1/timelines/home", { token: user.token })).json()) as { id: string }[]).map((s) => s.id);

	it("fills the follower's home with recent visible posts and takes them out again", async () => {
		const author = await createTestUser();
		const reader = await createTestUser();
		const open = await post(author.account, "hello");
		const quiet = await post(author.account, "friends", "private");
		await post(author.account, `@${reader.account.username} psst`, "direct");
		await follow(reader, author.account.id);
		const filled = await home(reader);
		expect(filled).toContain(open.id);
		expect(filled).toContain(quiet.id);
		await api(`/api/v1/accounts/${author.account.id}/unfollow`, { method: "POST", token: reader.token });
		const after = await home(reader);
		expect(after).not.toContain(open.id);
		expect(after).not.toContain(quiet.id);
	});

	it("a block takes each one's posts out of the other's home", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const fromBob = await post(bob.account, "from bob");
		const fromAlice = await post(alice.account, "from alice");
		await follow(alice, bob.account.id);
		await follow(bob, alice.account.id);
		expect(await home(alice)).toContain(fromBob.id);
		await api(`/api/v1/accounts/${bob.account.id}/block`, { method: "POST", token: alice.token });
		expect(await home(alice)).not.toContain(fromBob.id);
		expect(await home(bob)).not.toContain(fromAlice.id);
	});
});
