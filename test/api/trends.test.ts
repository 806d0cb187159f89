import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/main";
import { refreshTrends } from "../../src/services/trends/refresh";
import { expectMatchesSchema } from "../helpers/openapi";
import { getJson, postStatus, type StatusJson } from "../helpers/statuses";
import { api, config, createTestUser, db, type TestUser } from "../helpers/users";

vi.setConfig({ testTimeout: 60_000 });

const refresh = () => refreshTrends({ env, db: db(), config: config() });

async function people(count: number): Promise<TestUser[]> {
	return Promise.all(Array.from({ length: count }, () => createTestUser()));
}

const unique = () => `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;

interface TagJson {
	name: string;
	history: { day: string; uses: string; accounts: string }[];
	following?: boolean;
}

describe("trends, computed from the public activity this server saw", () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it("ranks a hashtag five accounts used today, with its history; four are not enough; an admin can hide one", async () => {
		const hot = unique();
		const warm = unique();
		const hidden = unique();
		const users = await people(6);
		for (const user of users) {
			await postStatus(user, { status: `#${hot} is everywhere` });
			await postStatus(user, { status: `and #${hidden} too` });
		}
		for (const user of users.slice(0, 4)) await postStatus(user, { status: `a little #${warm}` });
		// Unlisted and private posts never count.
		for (const user of users) await postStatus(user, { status: `#${warm} quietly`, visibility: "unlisted" });
		const cli = await runCli(["trends", "hide", "tag", `#${hidden.toUpperCase()}`], env, {
			out: () => {},
			err: () => {},
		});
		expect(cli).toBe(0);
		await refresh();

		const viewer = users[0] as TestUser;
		const response = await getJson<TagJson[]>("/api/v1/trends/tags?limit=20", viewer.token);
		expect(response.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/trends/tags", 200, response.body);
		const names = response.body.map((t) => t.name);
		expect(names).toContain(hot);
		expect(names).not.toContain(warm);
		expect(names).not.toContain(hidden);
		const tag = response.body.find((t) => t.name === hot) as TagJson;
		expect(tag.history).toHaveLength(7);
		expect(tag.history[0]).toMatchObject({ uses: "6", accounts: "6" });
		expect(tag.following).toBe(false);
		// The older name of the endpoint answers the same, also without a token.
		const legacy = await getJson<TagJson[]>("/api/v1/trends?limit=20");
		expect(legacy.body.map((t) => t.name)).toContain(hot);
		expect(legacy.body[0]).not.toHaveProperty("following");

		await runCli(["trends", "unhide", "tag", hidden], env, { out: () => {}, err: () => {} });
		await refresh();
		expect((await getJson<TagJson[]>("/api/v1/trends/tags?limit=20")).body.map((t) => t.name)).toContain(hidden);
	});

	it("ranks a post by boosts and favourites, and pages with offsets", async () => {
		const [author, ...fans] = await people(7);
		const post = await postStatus(author as TestUser, { status: `worth it ${unique()}` });
		const quiet = await postStatus(author as TestUser, { status: "barely noticed" });
		for (const [i, fan] of fans.entries()) {
			const action = i % 2 === 0 ? "favourite" : "reblog";
			expect((await api(`/api/v1/statuses/${post.id}/${action}`, { method: "POST", token: fan.token })).status).toBe(
				200,
			);
		}
		for (const fan of fans.slice(0, 3)) {
			await api(`/api/v1/statuses/${quiet.id}/favourite`, { method: "POST", token: fan.token });
		}
		await refresh();
		const trending = await getJson<StatusJson[]>("/api/v1/trends/statuses?limit=40", (author as TestUser).token);
		expect(trending.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/trends/statuses", 200, trending.body);
		const ids = trending.body.map((s) => s.id);
		expect(ids).toContain(post.id);
		expect(ids).not.toContain(quiet.id);

		const first = await api("/api/v1/trends/statuses?limit=1");
		expect(((await first.json()) as unknown[]).length).toBe(1);
		expect(first.headers.get("Link")).toMatch(/<[^>]*[?&]offset=1[&>][^>]*>?; rel="next"/);
		const second = await api("/api/v1/trends/statuses?limit=1&offset=1");
		expect(second.headers.get("Link")).toMatch(/<[^>]*[?&]offset=0[&>][^>]*>?; rel="prev"/);
	});

	it("ranks a link five accounts shared, once its page is read, with no image of someone else's", async () => {
		const url = `https://news.example/${unique()}`;
		const users = await people(5);
		for (const user of users) await postStatus(user, { status: `read this ${url}` });
		const page = `<!doctype html><html lang="en"><head><title>Fallback</title>
			<meta property="og:title" content="Terns return to the coast">
			<meta property="og:description" content="A colony of 2,000 birds &amp; more.">
			<meta property="og:site_name" content="News Example">
			<meta name="author" content="A. Reporter">
			<meta property="og:image" content="https://news.example/tern.jpg"></head><body></body></html>`;
		const fetched: string[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
			const request = new Request(input);
			fetched.push(request.url);
			if (request.url === url) return new Response(page, { headers: { "Content-Type": "text/html; charset=utf-8" } });
			return new Response("not found", { status: 404 });
		});
		await refresh();
		expect(fetched).toContain(url);
		const links = await getJson<Record<string, unknown>[]>("/api/v1/trends/links");
		expect(links.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/trends/links", 200, links.body);
		const link = links.body.find((l) => l.url === url);
		expect(link).toMatchObject({
			title: "Terns return to the coast",
			description: "A colony of 2,000 birds & more.",
			provider_name: "News Example",
			author_name: "A. Reporter",
			image: null,
			language: "en",
		});
		const history = (link?.history ?? []) as { uses: string }[];
		expect(history[0]).toMatchObject({ uses: "5", accounts: "5" });
	});

	it("answers empty lists when nothing trends", async () => {
		await refresh();
		const links = await getJson<unknown[]>("/api/v1/trends/links?offset=10000");
		expect(links.body).toEqual([]);
		expect((await getJson<unknown[]>("/api/v1/trends/tags?offset=10000")).body).toEqual([]);
	});
});
