import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { featuredTags } from "../../src/db/schema";
import { fetchDocument } from "../federation/helpers";
import { countD1 } from "../helpers/d1-counter";
import { expectMatchesSchema } from "../helpers/openapi";
import { post } from "../helpers/posts";
import { createRemoteAccount } from "../helpers/remote-accounts";
import { getJson, postJson, postStatus } from "../helpers/statuses";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

interface FeaturedTagJson {
	id: string;
	name: string;
	url: string;
	statuses_count: string;
	last_status_at: string | null;
}

let n = 0;
const unique = () => `feat${Date.now().toString(36)}${++n}`;
const today = () => new Date().toISOString().slice(0, 10);

async function feature(user: TestUser, name: string) {
	const response = await postJson("/api/v1/featured_tags", user.token, { name });
	const body = (await response.json()) as FeaturedTagJson & { error?: string };
	if (response.status === 200) expectMatchesSchema("POST", "/api/v1/featured_tags", 200, body);
	return { status: response.status, body };
}

async function mine(user: TestUser): Promise<FeaturedTagJson[]> {
	const { status, body } = await getJson<FeaturedTagJson[]>("/api/v1/featured_tags", user.token);
	expect(status).toBe(200);
	expectMatchesSchema("GET", "/api/v1/featured_tags", 200, body);
	return body;
}

describe("featured tags", () => {
	it("features a tag with the count and date of the owner's public and unlisted posts", async () => {
		const alice = await createTestUser();
		const other = await createTestUser();
		const name = unique();
		await post(alice.account, `one #${name}`);
		await post(alice.account, `two #${name.toUpperCase()}`, "unlisted");
		await post(alice.account, `private #${name}`, "private");
		await post(alice.account, `direct #${name}`, "direct");
		await post(other.account, `someone else #${name}`);

		const created = await feature(alice, `#${name}`);
		expect(created.status).toBe(200);
		expect(created.body).toEqual({
			id: expect.stringMatching(/^\d{18}$/),
			name,
			url: `https://tern.test/@${alice.account.username}/tagged/${name}`,
			statuses_count: "2",
			last_status_at: today(),
		});
		expect(await mine(alice)).toEqual([created.body]);

		// Anyone may read them, with or without a token.
		const publicList = await getJson<FeaturedTagJson[]>(`/api/v1/accounts/${alice.account.id}/featured_tags`);
		expect(publicList.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/accounts/{id}/featured_tags", 200, publicList.body);
		expect(publicList.body).toEqual([created.body]);
		const signedIn = await getJson(`/api/v1/accounts/${alice.account.id}/featured_tags`, other.token);
		expect(signedIn.body).toEqual([created.body]);
	});

	it("starts at zero for an unused tag and lists most used first", async () => {
		const alice = await createTestUser();
		const [used, unused] = [unique(), unique()];
		await post(alice.account, `#${used}`);
		const first = await feature(alice, unused);
		expect(first.body).toMatchObject({ name: unused, statuses_count: "0", last_status_at: null });
		await feature(alice, used);
		expect((await mine(alice)).map((t) => t.name)).toEqual([used, unused]);
	});

	it("refuses blank, invalid, duplicate names and more than ten, changing nothing", async () => {
		const alice = await createTestUser();
		const name = unique();
		expect((await feature(alice, name)).status).toBe(200);
		const cases: [string, string][] = [
			["", "Validation failed: Name can't be blank"],
			["  # ", "Validation failed: Name can't be blank"],
			["not-a-tag!", "Validation failed: Name is invalid"],
			["1234", "Validation failed: Name is invalid"],
			[name.toUpperCase(), "Validation failed: Name has already been taken"],
			[`#${name}`, "Validation failed: Name has already been taken"],
		];
		for (const [input, error] of cases) {
			const result = await feature(alice, input);
			expect(result.status, input).toBe(422);
			expect(result.body.error, input).toBe(error);
		}
		const missing = await api("/api/v1/featured_tags", { method: "POST", token: alice.token });
		expect(missing.status).toBe(422);
		for (let i = 1; i < 10; i++) expect((await feature(alice, `${name}x${i}`)).status).toBe(200);
		const eleventh = await feature(alice, `${name}y`);
		expect(eleventh.status).toBe(422);
		expect(eleventh.body.error).toBe("Validation failed: You have already featured the maximum number of hashtags");
		expect(await mine(alice)).toHaveLength(10);
	});

	it("checks tokens and scopes", async () => {
		const reader = await createTestUser({ scopes: "read:accounts" });
		const writer = await createTestUser({ scopes: "write:accounts" });
		expect((await api("/api/v1/featured_tags")).status).toBe(401);
		expect((await postJson("/api/v1/featured_tags", reader.token, { name: unique() })).status).toBe(403);
		expect((await api("/api/v1/featured_tags", { token: writer.token })).status).toBe(403);
		expect((await api("/api/v1/featured_tags/suggestions", { token: writer.token })).status).toBe(403);
		expect((await api("/api/v1/featured_tags", { token: reader.token })).status).toBe(200);
		const created = await feature(writer, unique());
		expect(created.status).toBe(200);
		const del = await api(`/api/v1/featured_tags/${created.body.id}`, { method: "DELETE", token: reader.token });
		expect(del.status).toBe(403);
		expect((await api(`/api/v1/accounts/${writer.account.id}/featured_tags`, { token: "nope" })).status).toBe(401);
	});

	it("deletes only one's own featured tags", async () => {
		const alice = await createTestUser();
		const mallory = await createTestUser();
		const created = await feature(alice, unique());
		const path = `/api/v1/featured_tags/${created.body.id}`;
		expect((await api(path, { method: "DELETE", token: mallory.token })).status).toBe(404);
		expect(await mine(alice)).toHaveLength(1);
		const deleted = await api(path, { method: "DELETE", token: alice.token });
		expect(deleted.status).toBe(200);
		expect(await deleted.json()).toEqual({});
		expect(await mine(alice)).toEqual([]);
		expect((await api(path, { method: "DELETE", token: alice.token })).status).toBe(404);
		expect((await api("/api/v1/featured_tags/not-an-id", { method: "DELETE", token: alice.token })).status).toBe(404);
	});

	it("keeps the count and date in step with posting, editing and deleting", async () => {
		const alice = await createTestUser();
		const name = unique();
		const created = await feature(alice, name);
		const current = async () => {
			const [row] = await db().select().from(featuredTags).where(eq(featuredTags.id, created.body.id));
			return { count: row?.statusesCount, last: row?.lastStatusAt?.getTime() ?? null };
		};
		const first = await postStatus(alice, { status: `first #${name}` });
		const second = await postStatus(alice, { status: `second #${name}`, visibility: "unlisted" });
		await postStatus(alice, { status: `hidden #${name}`, visibility: "private" });
		const plain = await postStatus(alice, { status: "no tag here" });
		const afterPosts = await current();
		expect(afterPosts.count).toBe(2);
		expect(afterPosts.last).toBe(Date.parse(second.created_at as string));

		// Editing the tag away, then back in.
		const edit = (id: string, status: string) => postJson(`/api/v1/statuses/${id}`, alice.token, { status }, "PUT");
		expect((await edit(second.id, "second, untagged")).status).toBe(200);
		expect(await current()).toEqual({ count: 1, last: Date.parse(first.created_at as string) });
		expect((await edit(plain.id, `now tagged #${name}`)).status).toBe(200);
		expect(await current()).toEqual({ count: 2, last: Date.parse(plain.created_at as string) });
		expect((await edit(plain.id, `still tagged #${name} again`)).status).toBe(200);
		expect((await current()).count).toBe(2);

		for (const id of [plain.id, first.id]) {
			expect((await api(`/api/v1/statuses/${id}`, { method: "DELETE", token: alice.token })).status).toBe(200);
		}
		expect(await current()).toEqual({ count: 0, last: null });
		const [shown] = await mine(alice);
		expect(shown).toMatchObject({ statuses_count: "0", last_status_at: null });
	});

	it("suggests the most used recent tags that are not featured yet", async () => {
		const alice = await createTestUser();
		const [often, once, featured] = [unique(), unique(), unique()];
		await post(alice.account, `#${often} #${featured}`);
		await post(alice.account, `#${often} #${once}`);
		await post(alice.account, `#${often} #${featured}`, "private");
		await feature(alice, featured);
		await api(`/api/v1/tags/${once}/follow`, { method: "POST", token: alice.token });
		const { status, body } = await getJson<{ name: string; history: unknown[]; following?: boolean }[]>(
			"/api/v1/featured_tags/suggestions",
			alice.token,
		);
		expect(status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/featured_tags/suggestions", 200, body);
		expect(body.map((t) => [t.name, t.following])).toEqual([
			[often, false],
			[once, true],
		]);
		expect(body[0]?.history).toHaveLength(7);
	});

	it("answers 404 for unknown accounts and an empty list for remote ones", async () => {
		expect((await api("/api/v1/accounts/999999999999999999/featured_tags")).status).toBe(404);
		const remote = await createRemoteAccount();
		const { status, body } = await getJson(`/api/v1/accounts/${remote.id}/featured_tags`);
		expect(status).toBe(200);
		expect(body).toEqual([]);
	});
});

describe("featured tags D1 budget", () => {
	it("stays within ten round trips per request", async () => {
		const alice = await createTestUser();
		for (let i = 0; i < 5; i++) await post(alice.account, `#${unique()} #${unique()}`);
		for (let i = 0; i < 9; i++) await feature(alice, unique());
		const headers = { Authorization: `Bearer ${alice.token}`, "Content-Type": "application/json" };
		const cases: [string, string, string | undefined][] = [
			["POST", "/api/v1/featured_tags", JSON.stringify({ name: unique() })],
			["GET", "/api/v1/featured_tags", undefined],
			["GET", "/api/v1/featured_tags/suggestions", undefined],
			["GET", `/api/v1/accounts/${alice.account.id}/featured_tags`, undefined],
		];
		for (const [method, path, body] of cases) {
			const { response, counts } = await countD1(new Request(`https://tern.test${path}`, { method, headers, body }));
			expect(response.status, path).toBe(200);
			expect(counts.roundTrips, `${method} ${path}`).toBeLessThanOrEqual(10);
			console.log(`${method} ${path}: ${counts.roundTrips} round trips, ${counts.statements} statements`);
		}
	});
});

describe("featured tags over ActivityPub", () => {
	it("links the collection from the actor and serves it as Hashtag objects", async () => {
		const alice = await createTestUser();
		const name = unique();
		await feature(alice, `#${name.toUpperCase()}`);
		const actorResponse = await fetchDocument(`/users/${alice.account.username}`);
		const actor = (await actorResponse.json()) as Record<string, unknown>;
		const collectionUrl = `${alice.account.uri}/collections/tags`;
		expect(actor.featuredTags).toBe(collectionUrl);
		expect(JSON.stringify(actor["@context"])).toContain("toot:featuredTags");

		const response = await fetchDocument(`/users/${alice.account.username}/collections/tags`);
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toContain("application/activity+json");
		expect(await response.json()).toMatchObject({
			id: collectionUrl,
			type: "Collection",
			totalItems: 1,
			items: [
				{
					type: "Hashtag",
					href: `https://tern.test/@${alice.account.username}/tagged/${name}`,
					name: `#${name.toUpperCase()}`,
				},
			],
		});
		expect((await fetchDocument("/users/nobody-here-at-all/collections/tags")).status).toBe(404);
	});

	it("serves the tagged page address instead of a 404", async () => {
		const alice = await createTestUser();
		const response = await api(`/@${alice.account.username}/tagged/${unique()}`, { headers: { Accept: "text/html" } });
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toContain("text/html");
	});
});
