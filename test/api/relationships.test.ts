import { describe, expect, it } from "vitest";
import { expectMatchesSchema } from "../helpers/openapi";
import { createRemoteAccount } from "../helpers/remote-accounts";
import { api, createTestUser } from "../helpers/users";

type Relationship = Record<string, unknown>;

async function post(path: string, token: string, body?: unknown) {
	return api(path, {
		method: "POST",
		token,
		...(body ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
	});
}

async function relationship(token: string, id: string): Promise<Relationship> {
	const response = await api(`/api/v1/accounts/relationships?id[]=${id}`, { token });
	expect(response.status).toBe(200);
	const body = (await response.json()) as Relationship[];
	expectMatchesSchema("GET", "/api/v1/accounts/relationships", 200, body);
	return body[0] as Relationship;
}

describe("follow and unfollow", () => {
	it("follows an unlocked local account at once and counts it", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const response = await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token, {
			reblogs: false,
			notify: true,
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as Relationship;
		expectMatchesSchema("POST", "/api/v1/accounts/{id}/follow", 200, body);
		expect(body).toMatchObject({
			id: bob.account.id,
			following: true,
			showing_reblogs: false,
			notifying: true,
			requested: false,
		});

		const bobView = await relationship(bob.token, alice.account.id);
		expect(bobView).toMatchObject({ followed_by: true, following: false });

		const profile = (await (await api(`/api/v1/accounts/${bob.account.id}`)).json()) as Record<string, unknown>;
		expectMatchesSchema("GET", "/api/v1/accounts/{id}", 200, profile);
		expect(profile.followers_count).toBe(1);
		const me = (await (await api(`/api/v1/accounts/${alice.account.id}`)).json()) as Record<string, unknown>;
		expect(me.following_count).toBe(1);
	});

	it("is idempotent: following twice keeps one follow and updates the options", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token);
		const again = await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token, {
			reblogs: false,
			languages: ["en", "de"],
		});
		expect(again.status).toBe(200);
		expect(await again.json()).toMatchObject({ following: true, showing_reblogs: false, languages: ["en", "de"] });
		const third = await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token, { notify: true });
		expect(await third.json()).toMatchObject({ showing_reblogs: false, notifying: true, languages: ["en", "de"] });
		const profile = (await (await api(`/api/v1/accounts/${bob.account.id}`)).json()) as Record<string, unknown>;
		expect(profile.followers_count).toBe(1);
	});

	it("unfollows and decrements the counters", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token);
		const response = await post(`/api/v1/accounts/${bob.account.id}/unfollow`, alice.token);
		expect(response.status).toBe(200);
		const body = await response.json();
		expectMatchesSchema("POST", "/api/v1/accounts/{id}/unfollow", 200, body);
		expect(body).toMatchObject({ following: false, requested: false });
		const profile = (await (await api(`/api/v1/accounts/${bob.account.id}`)).json()) as Record<string, unknown>;
		expect(profile.followers_count).toBe(0);
		// Unfollowing again is harmless.
		expect((await post(`/api/v1/accounts/${bob.account.id}/unfollow`, alice.token)).status).toBe(200);
	});

	it("refuses to follow yourself with 403 and answers 404 for unknown accounts", async () => {
		const alice = await createTestUser();
		const self = await post(`/api/v1/accounts/${alice.account.id}/follow`, alice.token);
		expect(self.status).toBe(403);
		expect(await self.json()).toEqual({ error: "Following your own account is not allowed" });
		const unknown = await post("/api/v1/accounts/999999999999999999/follow", alice.token);
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toEqual({ error: "Record not found" });
		expect((await post("/api/v1/accounts/not-an-id/follow", alice.token)).status).toBe(404);
	});

	it("rejects a non-boolean reblogs with 422", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const response = await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token, { reblogs: "maybe" });
		expect(response.status).toBe(422);
		expect(((await relationship(alice.token, bob.account.id)) as Relationship).following).toBe(false);
	});

	it("needs write:follows or the legacy follow scope", async () => {
		const bob = await createTestUser();
		const readOnly = await createTestUser({ scopes: "read" });
		expect((await post(`/api/v1/accounts/${bob.account.id}/follow`, readOnly.token)).status).toBe(403);
		const legacy = await createTestUser({ scopes: "follow" });
		expect((await post(`/api/v1/accounts/${bob.account.id}/follow`, legacy.token)).status).toBe(200);
		const granular = await createTestUser({ scopes: "write:follows" });
		expect((await post(`/api/v1/accounts/${bob.account.id}/follow`, granular.token)).status).toBe(200);
		expect((await post(`/api/v1/accounts/${bob.account.id}/follow`, "")).status).toBe(401);
	});

	it("sends a follow request to a remote account and shows it as requested", async () => {
		const alice = await createTestUser();
		const remote = await createRemoteAccount();
		const response = await post(`/api/v1/accounts/${remote.id}/follow`, alice.token);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ following: false, requested: true });
		const withdrawn = await post(`/api/v1/accounts/${remote.id}/unfollow`, alice.token);
		expect(await withdrawn.json()).toMatchObject({ following: false, requested: false });
	});

	it("removes a follower", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token);
		const response = await post(`/api/v1/accounts/${alice.account.id}/remove_from_followers`, bob.token);
		expect(response.status).toBe(200);
		const body = await response.json();
		expectMatchesSchema("POST", "/api/v1/accounts/{id}/remove_from_followers", 200, body);
		expect(body).toMatchObject({ followed_by: false });
		expect(await relationship(alice.token, bob.account.id)).toMatchObject({ following: false });
	});
});

describe("blocks and mutes", () => {
	it("blocking removes follows both ways and forbids following back", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token);
		await post(`/api/v1/accounts/${alice.account.id}/follow`, bob.token);
		const response = await post(`/api/v1/accounts/${bob.account.id}/block`, alice.token);
		expect(response.status).toBe(200);
		const body = await response.json();
		expectMatchesSchema("POST", "/api/v1/accounts/{id}/block", 200, body);
		expect(body).toMatchObject({ blocking: true, following: false, followed_by: false });
		expect(await relationship(bob.token, alice.account.id)).toMatchObject({ blocked_by: true, following: false });
		const followBack = await post(`/api/v1/accounts/${alice.account.id}/follow`, bob.token);
		expect(followBack.status).toBe(403);
		for (const id of [alice.account.id, bob.account.id]) {
			const profile = (await (await api(`/api/v1/accounts/${id}`)).json()) as Record<string, number>;
			expect([profile.followers_count, profile.following_count]).toEqual([0, 0]);
		}

		const list = await api("/api/v1/blocks", { token: alice.token });
		const blocked = (await list.json()) as { id: string }[];
		expectMatchesSchema("GET", "/api/v1/blocks", 200, blocked);
		expect(blocked.map((a) => a.id)).toEqual([bob.account.id]);

		const unblocked = await post(`/api/v1/accounts/${bob.account.id}/unblock`, alice.token);
		expect(await unblocked.json()).toMatchObject({ blocking: false });
		expect(await (await api("/api/v1/blocks", { token: alice.token })).json()).toEqual([]);
	});

	it("mutes with a duration and lists the mute", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const response = await post(`/api/v1/accounts/${bob.account.id}/mute`, alice.token, {
			notifications: false,
			duration: 3600,
		});
		const body = (await response.json()) as Relationship;
		expectMatchesSchema("POST", "/api/v1/accounts/{id}/mute", 200, body);
		expect(body).toMatchObject({ muting: true, muting_notifications: false });
		expect(typeof body.muting_expires_at).toBe("string");
		const mutes = (await (await api("/api/v1/mutes", { token: alice.token })).json()) as { id: string }[];
		expectMatchesSchema("GET", "/api/v1/mutes", 200, mutes);
		expect(mutes.map((a) => a.id)).toEqual([bob.account.id]);
		const unmuted = await post(`/api/v1/accounts/${bob.account.id}/unmute`, alice.token);
		expect(await unmuted.json()).toMatchObject({ muting: false });
	});

	it("needs write:blocks / write:mutes", async () => {
		const bob = await createTestUser();
		const user = await createTestUser({ scopes: "write:follows read" });
		expect((await post(`/api/v1/accounts/${bob.account.id}/block`, user.token)).status).toBe(403);
		expect((await post(`/api/v1/accounts/${bob.account.id}/mute`, user.token)).status).toBe(403);
		expect((await api("/api/v1/blocks", { token: (await createTestUser({ scopes: "write" })).token })).status).toBe(
			403,
		);
	});
});

describe("block and mute lists page with Link headers", () => {
	it("pages blocks and mutes newest first", async () => {
		const alice = await createTestUser();
		const targets = [await createTestUser(), await createTestUser(), await createTestUser()];
		for (const target of targets) {
			await post(`/api/v1/accounts/${target.account.id}/block`, alice.token);
			await post(`/api/v1/accounts/${target.account.id}/mute`, alice.token);
		}
		for (const path of ["/api/v1/blocks", "/api/v1/mutes"]) {
			const first = await api(`${path}?limit=2`, { token: alice.token });
			const page = (await first.json()) as { id: string }[];
			expectMatchesSchema("GET", path, 200, page);
			expect(page.map((a) => a.id)).toEqual([targets[2]?.account.id, targets[1]?.account.id]);
			const link = first.headers.get("Link") ?? "";
			const next = new URL(/<([^>]+)>; rel="next"/.exec(link)?.[1] as string);
			const rest = (await (await api(next.pathname + next.search, { token: alice.token })).json()) as { id: string }[];
			expect(rest.map((a) => a.id)).toEqual([targets[0]?.account.id]);
			const prev = new URL(/<([^>]+)>; rel="prev"/.exec(link)?.[1] as string);
			expect(await (await api(prev.pathname + prev.search, { token: alice.token })).json()).toEqual([]);
		}
	});
});

describe("relationships and notes", () => {
	it("returns one Relationship per known id, in order, and skips unknown ids", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		await post(`/api/v1/accounts/${carol.account.id}/follow`, alice.token);
		const response = await api(
			`/api/v1/accounts/relationships?id[]=${carol.account.id}&id[]=999999999999999999&id[]=${bob.account.id}`,
			{ token: alice.token },
		);
		const body = (await response.json()) as Relationship[];
		expectMatchesSchema("GET", "/api/v1/accounts/relationships", 200, body);
		expect(body.map((r) => [r.id, r.following])).toEqual([
			[carol.account.id, true],
			[bob.account.id, false],
		]);
	});

	it("keeps a private note", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const response = await post(`/api/v1/accounts/${bob.account.id}/note`, alice.token, { comment: "met at the fair" });
		const body = await response.json();
		expectMatchesSchema("POST", "/api/v1/accounts/{id}/note", 200, body);
		expect(body).toMatchObject({ note: "met at the fair" });
		expect(await relationship(bob.token, alice.account.id)).toMatchObject({ note: "" });
		await post(`/api/v1/accounts/${bob.account.id}/note`, alice.token, { comment: "" });
		expect(await relationship(alice.token, bob.account.id)).toMatchObject({ note: "" });
	});

	it("needs read:follows for relationships", async () => {
		const user = await createTestUser({ scopes: "read:accounts" });
		expect((await api("/api/v1/accounts/relationships?id[]=1", { token: user.token })).status).toBe(403);
		const legacy = await createTestUser({ scopes: "follow" });
		expect((await api("/api/v1/accounts/relationships?id[]=1", { token: legacy.token })).status).toBe(200);
	});

	it("answers 80 ids at once and refuses more with 422", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await post(`/api/v1/accounts/${bob.account.id}/follow`, alice.token);
		const ids = Array.from({ length: 79 }, (_, i) => String(100000000000000000n + BigInt(i)));
		const query = [...ids, bob.account.id].map((id) => `id[]=${id}`).join("&");
		const response = await api(`/api/v1/accounts/relationships?${query}`, { token: alice.token });
		expect(response.status).toBe(200);
		expect(((await response.json()) as Relationship[]).map((r) => [r.id, r.following])).toEqual([
			[bob.account.id, true],
		]);
		const tooMany = await api(`/api/v1/accounts/relationships?${query}&id[]=1`, { token: alice.token });
		expect(tooMany.status).toBe(422);
	});
});

describe("scopes of markers, lists and tags", () => {
	it("wants read:statuses / write:statuses for markers and read:lists for lists", async () => {
		const user = await createTestUser({ scopes: "read:accounts write:follows" });
		expect((await api("/api/v1/markers?timeline[]=home", { token: user.token })).status).toBe(403);
		const write = await api("/api/v1/markers", {
			method: "POST",
			token: user.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ home: { last_read_id: "1" } }),
		});
		expect(write.status).toBe(403);
		expect((await api("/api/v1/lists", { token: user.token })).status).toBe(403);
		expect((await api("/api/v1/followed_tags", { token: user.token })).status).toBe(403);
		const granular = await createTestUser({ scopes: "read:statuses read:lists read:follows" });
		expect((await api("/api/v1/markers?timeline[]=home", { token: granular.token })).status).toBe(200);
		expect((await api("/api/v1/lists", { token: granular.token })).status).toBe(200);
		expect((await api("/api/v1/followed_tags", { token: granular.token })).status).toBe(200);
	});
});
