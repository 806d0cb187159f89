import { describe, expect, it } from "vitest";
import { expectMatchesSchema } from "../helpers/openapi";
import { favourite, post } from "../helpers/posts";
import { api, createTestUser, type TestUser } from "../helpers/users";

interface Notification {
	id: string;
	type: string;
	group_key: string;
	account: { id: string };
	status?: { id: string };
}

const follow = (user: TestUser, target: TestUser) =>
	api(`/api/v1/accounts/${target.account.id}/follow`, { method: "POST", token: user.token });

async function list(user: TestUser, query = ""): Promise<Notification[]> {
	const response = await api(`/api/v1/notifications${query}`, { token: user.token });
	expect(response.status).toBe(200);
	const body = (await response.json()) as Notification[];
	expectMatchesSchema("GET", "/api/v1/notifications", 200, body);
	return body;
}

/** alice gets: a follow from bob, favourites from carol and dave on one post, a mention from bob. */
async function scenario() {
	const [alice, bob, carol, dave] = [
		await createTestUser(),
		await createTestUser(),
		await createTestUser(),
		await createTestUser(),
	];
	await follow(bob, alice);
	const status = await post(alice.account, "hello world");
	await favourite(carol.account, status);
	await favourite(dave.account, status);
	const mention = await post(bob.account, `@${alice.account.username} hi there`);
	return { alice, bob, carol, dave, status, mention };
}

describe("GET /api/v1/notifications", () => {
	it("lists notifications newest first with their accounts and statuses", async () => {
		const { alice, bob, carol, dave, status, mention } = await scenario();
		const body = await list(alice);
		expect(body.map((n) => [n.type, n.account.id, n.status?.id])).toEqual([
			["mention", bob.account.id, mention.id],
			["favourite", dave.account.id, status.id],
			["favourite", carol.account.id, status.id],
			["follow", bob.account.id, undefined],
		]);
		expect(body[1]?.group_key).toBe(body[2]?.group_key);
		expect(body[0]?.group_key).toBe(`ungrouped-${body[0]?.id}`);
	});

	it("filters by types[], exclude_types[] and account_id", async () => {
		const { alice, bob } = await scenario();
		expect((await list(alice, "?types[]=favourite")).map((n) => n.type)).toEqual(["favourite", "favourite"]);
		expect((await list(alice, "?exclude_types[]=favourite&exclude_types[]=mention")).map((n) => n.type)).toEqual([
			"follow",
		]);
		expect((await list(alice, `?account_id=${bob.account.id}`)).map((n) => n.type)).toEqual(["mention", "follow"]);
		expect(await list(alice, "?types[]=no_such_type")).toEqual([]);
	});

	it("pages with limit and Link headers", async () => {
		const { alice } = await scenario();
		const first = await api("/api/v1/notifications?limit=3", { token: alice.token });
		const page = (await first.json()) as Notification[];
		expect(page).toHaveLength(3);
		const link = first.headers.get("Link") ?? "";
		const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] as string;
		const prev = /<([^>]+)>; rel="prev"/.exec(link)?.[1] as string;
		expect(next).toContain(`max_id=${page[2]?.id}`);
		expect(prev).toContain(`min_id=${page[0]?.id}`);
		const url = new URL(next);
		const rest = (await (await api(url.pathname + url.search, { token: alice.token })).json()) as Notification[];
		expect(rest.map((n) => n.type)).toEqual(["follow"]);
		const newer = await list(alice, `?min_id=${rest[0]?.id}&limit=2`);
		expect(newer.map((n) => n.id)).toEqual([page[1]?.id, page[2]?.id]);
		expect(await list(alice, `?since_id=${page[0]?.id}`)).toEqual([]);
	});

	it("gets, dismisses and clears", async () => {
		const { alice, bob } = await scenario();
		const [latest] = await list(alice);
		const one = await api(`/api/v1/notifications/${latest?.id}`, { token: alice.token });
		expect(one.status).toBe(200);
		const body = await one.json();
		expectMatchesSchema("GET", "/api/v1/notifications/{id}", 200, body);
		expect((await api(`/api/v1/notifications/${latest?.id}`, { token: bob.token })).status).toBe(404);
		const dismissed = await api(`/api/v1/notifications/${latest?.id}/dismiss`, { method: "POST", token: alice.token });
		expect(dismissed.status).toBe(200);
		expect((await api(`/api/v1/notifications/${latest?.id}`, { token: alice.token })).status).toBe(404);
		expect((await list(alice)).length).toBe(3);
		const cleared = await api("/api/v1/notifications/clear", { method: "POST", token: alice.token });
		expect(cleared.status).toBe(200);
		expect(await list(alice)).toEqual([]);
	});

	it("skips actors the recipient mutes with notifications or blocks", async () => {
		const alice = await createTestUser();
		const muted = await createTestUser();
		const mutedQuietly = await createTestUser();
		const blocked = await createTestUser();
		await api(`/api/v1/accounts/${muted.account.id}/mute`, { method: "POST", token: alice.token });
		await api(`/api/v1/accounts/${mutedQuietly.account.id}/mute?notifications=false`, {
			method: "POST",
			token: alice.token,
		});
		await api(`/api/v1/accounts/${blocked.account.id}/block`, { method: "POST", token: alice.token });
		await follow(muted, alice);
		await follow(mutedQuietly, alice);
		expect((await follow(blocked, alice)).status).toBe(403);
		expect((await list(alice)).map((n) => n.account.id)).toEqual([mutedQuietly.account.id]);
	});

	it("needs read:notifications / write:notifications", async () => {
		const user = await createTestUser({ scopes: "read:accounts write:statuses" });
		expect((await api("/api/v1/notifications", { token: user.token })).status).toBe(403);
		expect((await api("/api/v1/notifications/clear", { method: "POST", token: user.token })).status).toBe(403);
		expect((await api("/api/v1/notifications")).status).toBe(401);
	});
});

describe("markers and unread counts", () => {
	it("counts notifications newer than the notifications marker", async () => {
		const { alice } = await scenario();
		const count = async (version: 1 | 2) => {
			const response = await api(`/api/v${version}/notifications/unread_count`, { token: alice.token });
			const body = (await response.json()) as { count: number };
			expectMatchesSchema("GET", `/api/v${version}/notifications/unread_count`, 200, body);
			return body.count;
		};
		expect(await count(1)).toBe(4);
		expect(await count(2)).toBe(3);
		const all = await list(alice);
		const saved = await api("/api/v1/markers", {
			method: "POST",
			token: alice.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ notifications: { last_read_id: all[2]?.id } }),
		});
		expect(saved.status).toBe(200);
		const savedBody = (await saved.json()) as Record<string, { version: number; last_read_id: string }>;
		expectMatchesSchema("POST", "/api/v1/markers", 200, savedBody);
		expect(savedBody.notifications).toMatchObject({ last_read_id: all[2]?.id, version: 1 });
		expect(await count(1)).toBe(2);
		expect(await count(2)).toBe(2);
	});

	it("keeps home and notifications markers with a version counter", async () => {
		const alice = await createTestUser();
		const empty = await api("/api/v1/markers?timeline[]=home&timeline[]=notifications", { token: alice.token });
		expect(await empty.json()).toEqual({});
		for (const id of ["110000000000000001", "110000000000000002"]) {
			await api("/api/v1/markers", {
				method: "POST",
				token: alice.token,
				headers: { "Content-Type": "application/x-www-form-urlencoded" },
				body: `home[last_read_id]=${id}`,
			});
		}
		const response = await api("/api/v1/markers?timeline[]=home&timeline[]=notifications", { token: alice.token });
		const body = (await response.json()) as Record<string, unknown>;
		expectMatchesSchema("GET", "/api/v1/markers", 200, body);
		expect(body).toEqual({
			home: { last_read_id: "110000000000000002", version: 2, updated_at: expect.any(String) },
		});
	});

	it("refuses a marker without an id with 422 and changes nothing", async () => {
		const alice = await createTestUser();
		const response = await api("/api/v1/markers", {
			method: "POST",
			token: alice.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ home: { last_read_id: "not an id" } }),
		});
		expect(response.status).toBe(422);
		expect(await (await api("/api/v1/markers?timeline[]=home", { token: alice.token })).json()).toEqual({});
		const nothing = await api("/api/v1/markers", { method: "POST", token: alice.token });
		expect(nothing.status).toBe(422);
	});
});

describe("GET /api/v2/notifications", () => {
	interface Grouped {
		accounts: { id: string }[];
		statuses: { id: string }[];
		notification_groups: {
			group_key: string;
			type: string;
			notifications_count: number;
			sample_account_ids: string[];
			status_id?: string;
			page_max_id: string;
		}[];
	}

	it("groups favourites of one status and follows; other types stand alone", async () => {
		const { alice, bob, carol, dave, status, mention } = await scenario();
		const response = await api("/api/v2/notifications", { token: alice.token });
		expect(response.status).toBe(200);
		const body = (await response.json()) as Grouped;
		expectMatchesSchema("GET", "/api/v2/notifications", 200, body);
		expect(
			body.notification_groups.map((g) => [g.type, g.notifications_count, g.sample_account_ids, g.status_id]),
		).toEqual([
			["mention", 1, [bob.account.id], mention.id],
			["favourite", 2, [dave.account.id, carol.account.id], status.id],
			["follow", 1, [bob.account.id], undefined],
		]);
		expect(body.accounts.map((a) => a.id).sort()).toEqual([bob.account.id, carol.account.id, dave.account.id].sort());
		expect(body.statuses.map((s) => s.id).sort()).toEqual([mention.id, status.id].sort());

		const ungrouped = (await (
			await api("/api/v2/notifications?grouped_types[]=follow", { token: alice.token })
		).json()) as Grouped;
		expect(ungrouped.notification_groups.map((g) => g.type)).toEqual(["mention", "favourite", "favourite", "follow"]);
	});

	it("pages by groups, fetches and dismisses one group", async () => {
		const { alice } = await scenario();
		const first = await api("/api/v2/notifications?limit=2", { token: alice.token });
		const page = (await first.json()) as Grouped;
		expect(page.notification_groups.map((g) => g.type)).toEqual(["mention", "favourite"]);
		const next = /<([^>]+)>; rel="next"/.exec(first.headers.get("Link") ?? "")?.[1] as string;
		const url = new URL(next);
		const rest = (await (await api(url.pathname + url.search, { token: alice.token })).json()) as Grouped;
		expect(rest.notification_groups.map((g) => g.type)).toEqual(["follow"]);

		const key = page.notification_groups[1]?.group_key as string;
		const one = await api(`/api/v2/notifications/${encodeURIComponent(key)}`, { token: alice.token });
		const oneBody = (await one.json()) as Grouped;
		expectMatchesSchema("GET", "/api/v2/notifications/{group_key}", 200, oneBody);
		expect(oneBody.notification_groups[0]?.notifications_count).toBe(2);
		const actors = await api(`/api/v2/notifications/${encodeURIComponent(key)}/accounts`, { token: alice.token });
		const actorsBody = (await actors.json()) as { id: string }[];
		expectMatchesSchema("GET", "/api/v2/notifications/{group_key}/accounts", 200, actorsBody);
		expect(actorsBody).toHaveLength(2);
		const dismissed = await api(`/api/v2/notifications/${encodeURIComponent(key)}/dismiss`, {
			method: "POST",
			token: alice.token,
		});
		expect(dismissed.status).toBe(200);
		expect((await api(`/api/v2/notifications/${encodeURIComponent(key)}`, { token: alice.token })).status).toBe(404);
		const mentionKey = page.notification_groups[0]?.group_key as string;
		expect(mentionKey).toMatch(/^ungrouped-\d+$/);
		expect(
			(await api(`/api/v2/notifications/${mentionKey}/dismiss`, { method: "POST", token: alice.token })).status,
		).toBe(200);
		expect((await list(alice)).map((n) => n.type)).toEqual(["follow"]);
	});
});

describe("status notifications for subscribers (written by the posting service)", () => {
	it("notifies followers who asked for it, not others, never for direct messages", async () => {
		const author = await createTestUser();
		const subscriber = await createTestUser();
		const plain = await createTestUser();
		const muter = await createTestUser();
		await api(`/api/v1/accounts/${author.account.id}/follow?notify=true`, { method: "POST", token: subscriber.token });
		await api(`/api/v1/accounts/${author.account.id}/follow`, { method: "POST", token: plain.token });
		await api(`/api/v1/accounts/${author.account.id}/follow?notify=true`, { method: "POST", token: muter.token });
		await api(`/api/v1/accounts/${author.account.id}/mute`, { method: "POST", token: muter.token });
		const open = await post(author.account, "news");
		await post(author.account, "psst", "direct");
		const got = await list(subscriber);
		expect(got.map((n) => [n.type, n.status?.id])).toEqual([["status", open.id]]);
		expect(got[0]?.id).toMatch(/^\d{18}$/);
		expect(await list(plain)).toEqual([]);
		expect(await list(muter)).toEqual([]);
	});
});
