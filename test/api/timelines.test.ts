import { describe, expect, it, vi } from "vitest";
import { blocks, mutes } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { expectMatchesSchema } from "../helpers/openapi";
import { follow, getJson, postStatus, type StatusJson, uploadedMedia } from "../helpers/statuses";
import { api, createTestUser, db } from "../helpers/users";

// Request-level tests share two CPU cores with other suites; allow for slow runs.
vi.setConfig({ testTimeout: 30_000 });

const ids = (list: StatusJson[]) => list.map((s) => s.id);

function links(response: Response): Record<string, string> {
	const result: Record<string, string> = {};
	for (const match of (response.headers.get("Link") ?? "").matchAll(/<([^>]+)>; rel="(\w+)"/g)) {
		const url = new URL(match[1] as string);
		result[match[2] as string] = url.pathname + url.search;
	}
	return result;
}

describe("GET /api/v1/timelines/home", () => {
	it("shows own posts and followed accounts' posts, newest first, paged both ways", async () => {
		const me = await createTestUser();
		const friend = await createTestUser();
		const stranger = await createTestUser();
		await follow(me, friend);
		const posted: string[] = [];
		for (let i = 0; i < 5; i++) {
			posted.push((await postStatus(i % 2 ? friend : me, { status: `home ${i}` })).id);
			await postStatus(stranger, { status: `noise ${i}` });
		}
		const newest = [...posted].reverse();
		const first = await getJson<StatusJson[]>("/api/v1/timelines/home?limit=2", me.token);
		expect(first.status).toBe(200);
		expectMatchesSchema("GET", "/api/v1/timelines/home", 200, first.body);
		expect(ids(first.body)).toEqual(newest.slice(0, 2));
		const firstLinks = links(first.response);
		expect(firstLinks.next).toContain(`max_id=${newest[1]}`);
		expect(firstLinks.prev).toContain(`min_id=${newest[0]}`);

		const second = await getJson<StatusJson[]>(firstLinks.next as string, me.token);
		expect(ids(second.body)).toEqual(newest.slice(2, 4));

		const since = await getJson<StatusJson[]>(`/api/v1/timelines/home?since_id=${posted[1]}`, me.token);
		expect(ids(since.body)).toEqual(newest.slice(0, 3));
		const min = await getJson<StatusJson[]>(`/api/v1/timelines/home?min_id=${posted[1]}&limit=2`, me.token);
		expect(ids(min.body)).toEqual([posted[3], posted[2]]);

		// An empty page still links back so clients can keep polling.
		const empty = await getJson<StatusJson[]>(`/api/v1/timelines/home?min_id=${newest[0]}`, me.token);
		expect(empty.body).toEqual([]);
		expect(links(empty.response).prev).toContain(`min_id=${newest[0]}`);
		const end = await getJson<StatusJson[]>(`/api/v1/timelines/home?max_id=${posted[0]}`, me.token);
		expect(end.body).toEqual([]);
		expect(links(end.response).next).toContain(`max_id=${posted[0]}`);

		// Limits are clamped, not refused.
		expect(ids((await getJson<StatusJson[]>("/api/v1/timelines/home?limit=0", me.token)).body)).toHaveLength(1);
		expect(ids((await getJson<StatusJson[]>("/api/v1/timelines/home?limit=1000", me.token)).body)).toHaveLength(5);
		expect((await getJson("/api/v1/timelines/home?limit=abc", me.token)).status).toBe(422);
	});

	it("requires a user token with read:statuses", async () => {
		expect((await api("/api/v1/timelines/home")).status).toBe(401);
		const writer = await createTestUser({ scopes: "write" });
		expect((await api("/api/v1/timelines/home", { token: writer.token })).status).toBe(403);
		const reader = await createTestUser({ scopes: "read:statuses" });
		expect((await api("/api/v1/timelines/home", { token: reader.token })).status).toBe(200);
	});

	it("hides authors the viewer blocks or mutes", async () => {
		const me = await createTestUser();
		const blocked = await createTestUser();
		const muted = await createTestUser();
		await follow(me, blocked);
		await follow(me, muted);
		const a = await postStatus(blocked, { status: "blocked" });
		const b = await postStatus(muted, { status: "muted" });
		expect(ids((await getJson<StatusJson[]>("/api/v1/timelines/home", me.token)).body)).toEqual([b.id, a.id]);
		await db()
			.insert(blocks)
			.values({ id: newId(), accountId: me.account.id, targetAccountId: blocked.account.id, createdAt: new Date() });
		await db()
			.insert(mutes)
			.values({ id: newId(), accountId: me.account.id, targetAccountId: muted.account.id, createdAt: new Date() });
		expect((await getJson<StatusJson[]>("/api/v1/timelines/home", me.token)).body).toEqual([]);
	});
});

describe("GET /api/v1/timelines/public", () => {
	it("lists public posts only: never unlisted, private or direct ones", async () => {
		const alice = await createTestUser();
		const pub = await postStatus(alice, { status: "public" });
		const unlisted = await postStatus(alice, { status: "unlisted", visibility: "unlisted" });
		const priv = await postStatus(alice, { status: "private", visibility: "private" });
		const dm = await postStatus(alice, { status: "direct", visibility: "direct" });
		for (const token of [undefined, alice.token]) {
			const page = await getJson<StatusJson[]>("/api/v1/timelines/public?limit=40", token);
			expectMatchesSchema("GET", "/api/v1/timelines/public", 200, page.body);
			const shown = ids(page.body);
			expect(shown).toContain(pub.id);
			for (const hidden of [unlisted.id, priv.id, dm.id]) expect(shown).not.toContain(hidden);
		}
		const local = await getJson<StatusJson[]>("/api/v1/timelines/public?local=true&limit=40");
		expect(ids(local.body)).toContain(pub.id);
		const remote = await getJson<StatusJson[]>("/api/v1/timelines/public?remote=true&limit=40");
		expect(ids(remote.body)).not.toContain(pub.id);
	});

	it("filters to posts with media", async () => {
		const alice = await createTestUser();
		const media = await uploadedMedia(alice);
		const withMedia = await postStatus(alice, { status: "pic", media_ids: [media] });
		const without = await postStatus(alice, { status: "text" });
		const page = await getJson<StatusJson[]>("/api/v1/timelines/public?only_media=true&limit=40");
		expect(ids(page.body)).toContain(withMedia.id);
		expect(ids(page.body)).not.toContain(without.id);
	});
});

describe("GET /api/v1/timelines/tag/:hashtag", () => {
	it("lists public posts with the tag, with any/all/none", async () => {
		const alice = await createTestUser();
		const tag = `t${Date.now().toString(36)}`;
		const plain = await postStatus(alice, { status: `#${tag}` });
		const both = await postStatus(alice, { status: `#${tag} #${tag}x` });
		const other = await postStatus(alice, { status: `#${tag}y` });
		const priv = await postStatus(alice, { status: `#${tag}`, visibility: "private" });
		const unlisted = await postStatus(alice, { status: `#${tag}`, visibility: "unlisted" });
		const page = await getJson<StatusJson[]>(`/api/v1/timelines/tag/${tag.toUpperCase()}`);
		expectMatchesSchema("GET", "/api/v1/timelines/tag/{hashtag}", 200, page.body);
		expect(ids(page.body)).toEqual([both.id, plain.id]);
		expect(ids(page.body)).not.toContain(priv.id);
		expect(ids(page.body)).not.toContain(unlisted.id);
		expect(ids((await getJson<StatusJson[]>(`/api/v1/timelines/tag/${tag}?any[]=${tag}y`)).body)).toEqual([
			other.id,
			both.id,
			plain.id,
		]);
		expect(ids((await getJson<StatusJson[]>(`/api/v1/timelines/tag/${tag}?all[]=${tag}x`)).body)).toEqual([both.id]);
		expect(ids((await getJson<StatusJson[]>(`/api/v1/timelines/tag/${tag}?none[]=${tag}x`)).body)).toEqual([plain.id]);
		expect((await getJson<StatusJson[]>("/api/v1/timelines/tag/neverusedtag0")).body).toEqual([]);
	});
});

describe("replies in timelines", () => {
	it("reach only followers who also follow the account replied to, and stay out of the public timeline", async () => {
		const author = await createTestUser();
		const target = await createTestUser();
		const both = await createTestUser();
		const onlyAuthor = await createTestUser();
		await follow(both, author);
		await follow(both, target);
		await follow(onlyAuthor, author);
		const root = await postStatus(target, { status: "root" });
		const reply = await postStatus(author, { status: "reply", in_reply_to_id: root.id });
		const selfThread = await postStatus(author, { status: "more", in_reply_to_id: reply.id });
		const home = async (user: typeof both) =>
			ids((await getJson<StatusJson[]>("/api/v1/timelines/home", user.token)).body);
		expect(await home(both)).toContain(reply.id);
		expect(await home(onlyAuthor)).not.toContain(reply.id);
		const pub = ids((await getJson<StatusJson[]>("/api/v1/timelines/public?limit=40")).body);
		expect(pub).toContain(root.id);
		expect(pub).not.toContain(reply.id);
		// A reply to oneself counts as a thread, as on Mastodon, even below a reply to someone else.
		expect(pub).toContain(selfThread.id);
		const own = await postStatus(author, {
			status: "own thread",
			in_reply_to_id: (await postStatus(author, { status: "start" })).id,
		});
		expect(ids((await getJson<StatusJson[]>("/api/v1/timelines/public?limit=40")).body)).toContain(own.id);
	});
});
