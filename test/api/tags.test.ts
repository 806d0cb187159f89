import { describe, expect, it } from "vitest";
import { followedTagsFanOutStatement } from "../../src/services/tags/followed";
import { expectMatchesSchema } from "../helpers/openapi";
import { post } from "../helpers/posts";
import { api, createTestUser, db } from "../helpers/users";

interface TagJson {
	id: string;
	name: string;
	url: string;
	following?: boolean;
	history: { day: string; uses: string; accounts: string }[];
}

const unique = () => `tern${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

describe("tags", () => {
	it("shows a used tag with a week of history, 404 for unknown and invalid names", async () => {
		const author = await createTestUser();
		const name = unique();
		await post(author.account, `hello #${name}`);
		const response = await api(`/api/v1/tags/${name.toUpperCase()}`);
		expect(response.status).toBe(200);
		const tag = (await response.json()) as TagJson;
		expectMatchesSchema("GET", "/api/v1/tags/{name}", 200, tag);
		expect(tag.url).toBe(`https://tern.test/tags/${name}`);
		expect(tag.history).toHaveLength(7);
		expect(tag.history[0]).toMatchObject({ uses: "1", accounts: "1" });
		expect((await api(`/api/v1/tags/${unique()}`)).status).toBe(404);
		expect((await api("/api/v1/tags/not-a-tag!")).status).toBe(404);
	});

	it("follows and unfollows tags and lists the followed ones", async () => {
		const alice = await createTestUser();
		const name = unique();
		const followed = await api(`/api/v1/tags/${name}/follow`, { method: "POST", token: alice.token });
		expect(followed.status).toBe(200);
		const body = (await followed.json()) as TagJson;
		expectMatchesSchema("POST", "/api/v1/tags/{name}/follow", 200, body);
		expect(body).toMatchObject({ name, following: true });
		const list = await api("/api/v1/followed_tags", { token: alice.token });
		const tags = (await list.json()) as TagJson[];
		expectMatchesSchema("GET", "/api/v1/followed_tags", 200, tags);
		expect(tags.map((t) => t.name)).toEqual([name]);
		const unfollowed = await api(`/api/v1/tags/${name}/unfollow`, { method: "POST", token: alice.token });
		expect(await unfollowed.json()).toMatchObject({ following: false });
		expect(await (await api("/api/v1/followed_tags", { token: alice.token })).json()).toEqual([]);
		const reader = await createTestUser({ scopes: "read" });
		expect((await api(`/api/v1/tags/${name}/follow`, { method: "POST", token: reader.token })).status).toBe(403);
	});

	it("the fan-out statement puts public posts with a followed tag into followers' home", async () => {
		const alice = await createTestUser();
		const author = await createTestUser();
		const blocker = await createTestUser();
		const name = unique();
		for (const user of [alice, blocker])
			await api(`/api/v1/tags/${name}/follow`, { method: "POST", token: user.token });
		await api(`/api/v1/accounts/${author.account.id}/block`, { method: "POST", token: blocker.token });
		const open = await post(author.account, `look #${name}`);
		const quiet = await post(author.account, `shh #${name}`, "unlisted");
		for (const status of [open, quiet]) {
			await followedTagsFanOutStatement(db(), {
				statusId: status.id,
				authorId: author.account.id,
				visibility: status.visibility,
				tagNames: [name.toUpperCase()],
			});
		}
		const home = async (token: string) =>
			((await (await api("/api/v1/timelines/home", { token })).json()) as { id: string }[]).map((s) => s.id);
		expect(await home(alice.token)).toEqual([open.id]);
		expect(await home(blocker.token)).toEqual([]);
	});
});
