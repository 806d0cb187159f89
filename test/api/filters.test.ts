import { describe, expect, it, vi } from "vitest";
import { expectMatchesSchema } from "../helpers/openapi";
import { follow, getJson, postJson, postStatus, type StatusJson } from "../helpers/statuses";
import { api, createTestUser } from "../helpers/users";

// Request-level tests share two CPU cores with other suites; allow for slow runs.
vi.setConfig({ testTimeout: 30_000 });

interface FilterJson {
	id: string;
	title: string;
	filter_action: string;
	keywords: { id: string; keyword: string; whole_word: boolean }[];
	statuses: { id: string; status_id: string }[];
}

describe("/api/v2/filters", () => {
	it("creates, reads, updates and deletes filters with keywords and statuses", async () => {
		const me = await createTestUser();
		const created = await postJson("/api/v2/filters", me.token, {
			title: "Spoilers",
			context: ["home", "public"],
			filter_action: "warn",
			keywords_attributes: [{ keyword: "finale", whole_word: true }, { keyword: "plot" }],
		});
		expect(created.status).toBe(200);
		const filter = (await created.json()) as FilterJson;
		expectMatchesSchema("POST", "/api/v2/filters", 200, filter);
		expect(filter).toMatchObject({
			title: "Spoilers",
			filter_action: "warn",
			expires_at: null,
			context: ["home", "public"],
		});
		expect(filter.keywords.map((k) => k.keyword)).toEqual(["finale", "plot"]);

		const list = await getJson<FilterJson[]>("/api/v2/filters", me.token);
		expectMatchesSchema("GET", "/api/v2/filters", 200, list.body);
		expect(list.body.map((f) => f.id)).toEqual([filter.id]);

		const plot = filter.keywords[1];
		const updated = await postJson(
			`/api/v2/filters/${filter.id}`,
			me.token,
			{
				title: "Renamed",
				filter_action: "hide",
				expires_in: 3600,
				keywords_attributes: [
					{ id: plot?.id, _destroy: true },
					{ keyword: "ending", whole_word: false },
				],
			},
			"PUT",
		);
		const body = (await updated.json()) as FilterJson & { expires_at: string };
		expectMatchesSchema("PUT", "/api/v2/filters/{id}", 200, body);
		expect(body).toMatchObject({ title: "Renamed", filter_action: "hide" });
		expect(body.expires_at).not.toBeNull();
		expect(body.keywords.map((k) => [k.keyword, k.whole_word])).toEqual([
			["finale", true],
			["ending", false],
		]);

		const keyword = await postJson(`/api/v2/filters/${filter.id}/keywords`, me.token, { keyword: "twist" });
		const keywordBody = (await keyword.json()) as { id: string };
		expectMatchesSchema("POST", "/api/v2/filters/{filter_id}/keywords", 200, keywordBody);
		const fetched = await getJson(`/api/v2/filters/keywords/${keywordBody.id}`, me.token);
		expectMatchesSchema("GET", "/api/v2/filters/keywords/{id}", 200, fetched.body);
		const post = await postStatus(me, { status: "to hide" });
		const statusFilter = await postJson(`/api/v2/filters/${filter.id}/statuses`, me.token, { status_id: post.id });
		const statusBody = (await statusFilter.json()) as { id: string; status_id: string };
		expectMatchesSchema("POST", "/api/v2/filters/{filter_id}/statuses", 200, statusBody);
		expect(statusBody.status_id).toBe(post.id);

		const other = await createTestUser();
		expect((await getJson(`/api/v2/filters/${filter.id}`, other.token)).status).toBe(404);
		expect((await getJson(`/api/v2/filters/keywords/${keywordBody.id}`, other.token)).status).toBe(404);
		expect((await api(`/api/v2/filters/${filter.id}`, { method: "DELETE", token: other.token })).status).toBe(404);

		const deleted = await api(`/api/v2/filters/${filter.id}`, { method: "DELETE", token: me.token });
		expect(deleted.status).toBe(200);
		expect(await deleted.json()).toEqual({});
		expect((await getJson(`/api/v2/filters/${filter.id}`, me.token)).status).toBe(404);
	});

	it("refuses bad input", async () => {
		const me = await createTestUser();
		for (const body of [
			{ context: ["home"] },
			{ title: "x" },
			{ title: "x", context: ["everywhere"] },
			{ title: "x", context: ["home"], filter_action: "explode" },
			{ title: "x", context: ["home"], keywords_attributes: [{ keyword: " " }] },
		]) {
			expect((await postJson("/api/v2/filters", me.token, body)).status, JSON.stringify(body)).toBe(422);
		}
		expect((await getJson<FilterJson[]>("/api/v2/filters", me.token)).body).toEqual([]);
		const reader = await createTestUser({ scopes: "read" });
		expect((await postJson("/api/v2/filters", reader.token, { title: "x", context: ["home"] })).status).toBe(403);
	});

	it("applies to timelines: warn marks `filtered`, hide removes", async () => {
		const me = await createTestUser();
		const friend = await createTestUser();
		await follow(me, friend);
		const word = `zz${Date.now().toString(36)}`;
		const warned = await postStatus(friend, { status: `about ${word} today` });
		const partial = await postStatus(friend, { status: `about ${word}s today` });
		const hidden = await postStatus(friend, { status: "nothing special" });
		await postJson("/api/v2/filters", me.token, {
			title: "warn",
			context: ["home"],
			filter_action: "warn",
			keywords_attributes: [{ keyword: word, whole_word: true }],
		});
		const hideFilter = (await (
			await postJson("/api/v2/filters", me.token, { title: "hide", context: ["home"], filter_action: "hide" })
		).json()) as FilterJson;
		await postJson(`/api/v2/filters/${hideFilter.id}/statuses`, me.token, { status_id: hidden.id });

		const home = await getJson<
			(StatusJson & { filtered?: { filter: { title: string }; keyword_matches: string[] }[] })[]
		>("/api/v1/timelines/home", me.token);
		expectMatchesSchema("GET", "/api/v1/timelines/home", 200, home.body);
		expect(home.body.map((s) => s.id)).toEqual([partial.id, warned.id]);
		expect(home.body[1]?.filtered).toMatchObject([{ filter: { title: "warn" }, keyword_matches: [word] }]);
		expect(home.body[0]?.filtered).toEqual([]);
		// Filters of the home context do not touch the public timeline.
		const pub = await getJson<StatusJson[]>("/api/v1/timelines/public?limit=40", me.token);
		expect(pub.body.map((s) => s.id)).toContain(hidden.id);
	});
});

describe("/api/v1/filters", () => {
	it("maps each v1 filter onto a keyword", async () => {
		const me = await createTestUser();
		const created = await postJson("/api/v1/filters", me.token, {
			phrase: "cats",
			context: ["home"],
			irreversible: true,
			whole_word: false,
		});
		expect(created.status).toBe(200);
		const filter = (await created.json()) as { id: string };
		expectMatchesSchema("POST", "/api/v1/filters", 200, filter);
		expect(filter).toMatchObject({ phrase: "cats", irreversible: true, whole_word: false, context: ["home"] });
		const list = await getJson<{ id: string }[]>("/api/v1/filters", me.token);
		expect(list.body.map((f) => f.id)).toEqual([filter.id]);
		const updated = await postJson(
			`/api/v1/filters/${filter.id}`,
			me.token,
			{ phrase: "dogs", context: ["home"] },
			"PUT",
		);
		const body = await updated.json();
		expectMatchesSchema("PUT", "/api/v1/filters/{id}", 200, body);
		expect(body).toMatchObject({ id: filter.id, phrase: "dogs" });
		const v2 = await getJson<FilterJson[]>("/api/v2/filters", me.token);
		expect(v2.body[0]?.filter_action).toBe("hide");
		expect((await postJson("/api/v1/filters", me.token, { context: ["home"] })).status).toBe(422);
		expect((await api(`/api/v1/filters/${filter.id}`, { method: "DELETE", token: me.token })).status).toBe(200);
		expect((await getJson<unknown[]>("/api/v1/filters", me.token)).body).toEqual([]);
		expect((await getJson<unknown[]>("/api/v2/filters", me.token)).body).toEqual([]);
	});
});
