import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { homeFeed } from "../../src/db/schema";
import { notInExclusiveLists } from "../../src/services/timelines/timelines";
import { expectMatchesSchema } from "../helpers/openapi";
import { post } from "../helpers/posts";
import { postStatus } from "../helpers/statuses";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

interface ListJson {
	id: string;
	title: string;
	replies_policy: string;
	exclusive: boolean;
}

function send(method: string, path: string, token: string, body?: unknown) {
	return api(path, {
		method,
		token,
		...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
	});
}

const follow = (user: TestUser, target: TestUser) =>
	send("POST", `/api/v1/accounts/${target.account.id}/follow`, user.token);

async function createList(user: TestUser, body: Record<string, unknown>): Promise<ListJson> {
	const response = await send("POST", "/api/v1/lists", user.token, body);
	expect(response.status).toBe(200);
	const list = (await response.json()) as ListJson;
	expectMatchesSchema("POST", "/api/v1/lists", 200, list);
	return list;
}

describe("lists", () => {
	it("creates, reads, updates and deletes a list", async () => {
		const alice = await createTestUser();
		const list = await createList(alice, { title: "Birders", exclusive: true });
		expect(list).toMatchObject({ title: "Birders", replies_policy: "list", exclusive: true });
		const all = (await (await api("/api/v1/lists", { token: alice.token })).json()) as ListJson[];
		expectMatchesSchema("GET", "/api/v1/lists", 200, all);
		expect(all.map((l) => l.id)).toEqual([list.id]);
		const updated = await send("PUT", `/api/v1/lists/${list.id}`, alice.token, { replies_policy: "none" });
		const updatedBody = await updated.json();
		expectMatchesSchema("PUT", "/api/v1/lists/{id}", 200, updatedBody);
		expect(updatedBody).toMatchObject({ title: "Birders", replies_policy: "none" });
		const one = await api(`/api/v1/lists/${list.id}`, { token: alice.token });
		expectMatchesSchema("GET", "/api/v1/lists/{id}", 200, await one.json());
		expect((await send("DELETE", `/api/v1/lists/${list.id}`, alice.token)).status).toBe(200);
		expect((await api(`/api/v1/lists/${list.id}`, { token: alice.token })).status).toBe(404);
	});

	it("refuses bad input with 422 and hides other users' lists", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		expect((await send("POST", "/api/v1/lists", alice.token, { title: "" })).status).toBe(422);
		expect((await send("POST", "/api/v1/lists", alice.token, { title: "x", replies_policy: "all" })).status).toBe(422);
		expect((await send("POST", "/api/v1/lists", alice.token, { title: "x", exclusive: "sometimes" })).status).toBe(422);
		expect(await (await api("/api/v1/lists", { token: alice.token })).json()).toEqual([]);
		const list = await createList(alice, { title: "Mine" });
		expect((await api(`/api/v1/lists/${list.id}`, { token: bob.token })).status).toBe(404);
		expect((await send("DELETE", `/api/v1/lists/${list.id}`, bob.token)).status).toBe(404);
		const readOnly = await createTestUser({ scopes: "read:lists" });
		expect((await send("POST", "/api/v1/lists", readOnly.token, { title: "x" })).status).toBe(403);
	});

	it("adds only followed accounts, lists and removes members", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		await follow(alice, bob);
		const list = await createList(alice, { title: "Friends" });
		const refused = await send("POST", `/api/v1/lists/${list.id}/accounts`, alice.token, {
			account_ids: [bob.account.id, carol.account.id],
		});
		expect(refused.status).toBe(422);
		const added = await send("POST", `/api/v1/lists/${list.id}/accounts`, alice.token, {
			account_ids: [bob.account.id],
		});
		expect(added.status).toBe(200);
		const members = (await (await api(`/api/v1/lists/${list.id}/accounts`, { token: alice.token })).json()) as {
			id: string;
		}[];
		expectMatchesSchema("GET", "/api/v1/lists/{id}/accounts", 200, members);
		expect(members.map((m) => m.id)).toEqual([bob.account.id]);
		const containing = (await (
			await api(`/api/v1/accounts/${bob.account.id}/lists`, { token: alice.token })
		).json()) as ListJson[];
		expectMatchesSchema("GET", "/api/v1/accounts/{id}/lists", 200, containing);
		expect(containing.map((l) => l.id)).toEqual([list.id]);
		await send("DELETE", `/api/v1/lists/${list.id}/accounts?account_ids[]=${bob.account.id}`, alice.token);
		expect(await (await api(`/api/v1/lists/${list.id}/accounts`, { token: alice.token })).json()).toEqual([]);
	});

	it("unfollowing removes the account from the follower's lists", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await follow(alice, bob);
		const list = await createList(alice, { title: "Friends" });
		await send("POST", `/api/v1/lists/${list.id}/accounts`, alice.token, { account_ids: [bob.account.id] });
		await send("POST", `/api/v1/accounts/${bob.account.id}/unfollow`, alice.token);
		expect(await (await api(`/api/v1/lists/${list.id}/accounts`, { token: alice.token })).json()).toEqual([]);
	});

	it("shows members' posts from the home feed, with the replies policy applied", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		const stranger = await createTestUser();
		await follow(alice, bob);
		await follow(alice, carol);
		// Home only holds replies to accounts alice follows, so she follows the one bob answers.
		await follow(alice, stranger);
		const list = await createList(alice, { title: "Bob only", replies_policy: "list" });
		await send("POST", `/api/v1/lists/${list.id}/accounts`, alice.token, { account_ids: [bob.account.id] });
		const fromBob = await post(bob.account, "bob speaks");
		await post(carol.account, "carol speaks");
		const strangerPost = await post(stranger.account, "who?");
		const replyToStranger = await postStatus(bob, { status: "reply", in_reply_to_id: strangerPost.id });
		const timeline = async () => {
			const response = await api(`/api/v1/timelines/list/${list.id}`, { token: alice.token });
			expect(response.status).toBe(200);
			const body = (await response.json()) as { id: string }[];
			expectMatchesSchema("GET", "/api/v1/timelines/list/{list_id}", 200, body);
			return body.map((s) => s.id);
		};
		expect(await timeline()).toEqual([fromBob.id]);
		await send("PUT", `/api/v1/lists/${list.id}`, alice.token, { replies_policy: "followed" });
		expect(await timeline()).toEqual([replyToStranger.id, fromBob.id]);
		await send("PUT", `/api/v1/lists/${list.id}`, alice.token, { replies_policy: "none" });
		expect(await timeline()).toEqual([fromBob.id]);
		const other = await createTestUser();
		expect((await api(`/api/v1/timelines/list/${list.id}`, { token: other.token })).status).toBe(404);
	});

	it("offers the home timeline a condition that keeps exclusive lists' members out", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		await follow(alice, bob);
		await follow(alice, carol);
		const list = await createList(alice, { title: "Only here", exclusive: true });
		await send("POST", `/api/v1/lists/${list.id}/accounts`, alice.token, { account_ids: [bob.account.id] });
		await post(bob.account, "bob");
		const fromCarol = await post(carol.account, "carol");
		const rows = await db()
			.select({ id: homeFeed.statusId })
			.from(homeFeed)
			.where(and(eq(homeFeed.accountId, alice.account.id), notInExclusiveLists(alice.account.id)));
		expect(rows.map((r) => r.id)).toEqual([fromCarol.id]);
	});
});
