import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { loadStatusViews } from "../../src/services/statuses/views";
import { D1_MAX_FUNCTION_ARGUMENTS, maxFunctionArguments } from "../helpers/sql-limits";
import { follow, postJson, postStatus, uploadedMedia } from "../helpers/statuses";
import { config, createTestUser } from "../helpers/users";

/** A D1 binding that counts the statements prepared through it and keeps their SQL. */
function countingDb() {
	let prepared = 0;
	const queries: string[] = [];
	const d1 = new Proxy(env.DB, {
		get(target, property) {
			if (property === "prepare") {
				return (query: string) => {
					prepared++;
					queries.push(query);
					return target.prepare(query);
				};
			}
			const value = Reflect.get(target, property);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return { db: createDb(d1), count: () => prepared, queries };
}

describe("loadStatusViews", () => {
	it("uses the same number of statements for 2 and for a dozen statuses", async () => {
		const viewer = await createTestUser();
		const author = await createTestUser();
		await follow(viewer, author);
		await postJson("/api/v2/filters", viewer.token, {
			title: "f",
			context: ["home"],
			keywords_attributes: [{ keyword: "zebra" }],
		});
		const ids: string[] = [];
		for (let i = 0; i < 12; i++) {
			const body: Record<string, unknown> = { status: `post ${i} @${viewer.account.username} #tag${i % 3}` };
			if (i % 3 === 0) body.media_ids = [await uploadedMedia(author)];
			if (i % 3 === 1) body.poll = { options: ["a", "b"], expires_in: 600 };
			const post = await postStatus(author, body);
			ids.push(post.id);
			if (i % 2 === 0) await postJson(`/api/v1/statuses/${post.id}/favourite`, viewer.token);
			if (i % 5 === 0)
				ids.push(
					((await (await postJson(`/api/v1/statuses/${post.id}/reblog`, viewer.token)).json()) as { id: string }).id,
				);
		}
		const options = { hideMutedAuthors: true, filterContext: "home" as const };
		const small = countingDb();
		const two = await loadStatusViews(small.db, config(), viewer.account.id, ids.slice(0, 2), options);
		const large = countingDb();
		const all = await loadStatusViews(large.db, config(), viewer.account.id, ids, options);
		expect(two).toHaveLength(2);
		expect(all).toHaveLength(ids.length);
		expect(large.count()).toBe(small.count());
		// One statement for the statuses with everything attached, one for the viewer's filters.
		expect(large.count()).toBe(2);
		expect(all.filter((s) => s.favourited || s.reblog?.favourited).length).toBeGreaterThan(0);
		expect(all.filter((s) => s.reblog?.reblogged).length).toBeGreaterThan(0);
		expect(all.some((s) => s.poll !== null && s.poll.own_votes?.length === 0)).toBe(true);
		expect(all.every((s) => (s.reblog ?? s).mentions.some((m) => m.id === viewer.account.id))).toBe(true);
		expect(all.some((s) => s.media_attachments.length === 1)).toBe(true);
		expect(all.some((s) => s.tags.length === 1)).toBe(true);

		// Anonymous viewers and callers without a filter context need only the first.
		const anonymous = countingDb();
		expect(await loadStatusViews(anonymous.db, config(), null, ids)).toHaveLength(ids.length);
		expect(anonymous.count()).toBe(1);

		// Production D1 refuses functions of more than 32 arguments, which local SQLite allows.
		for (const query of [...large.queries, ...anonymous.queries]) {
			expect(maxFunctionArguments(query)).toBeLessThanOrEqual(D1_MAX_FUNCTION_ARGUMENTS);
		}
	}, 30_000);

	it("renders a boosted original exactly as the original on its own", async () => {
		const viewer = await createTestUser();
		const author = await createTestUser();
		const booster = await createTestUser();
		await follow(viewer, author);
		const theirs = await postStatus(author, {
			status: `look @${viewer.account.username} @${booster.account.username} #alpha #beta`,
			poll: { options: ["a", "b", "c"], expires_in: 600, multiple: true },
			spoiler_text: "cw",
		});
		const poll = theirs.poll as { id: string };
		await postJson(`/api/v1/polls/${poll.id}/votes`, viewer.token, { choices: [2, 0] });
		await postJson(`/api/v1/statuses/${theirs.id}/favourite`, viewer.token);
		await postJson(`/api/v1/statuses/${theirs.id}/bookmark`, viewer.token);
		await postJson(`/api/v1/statuses/${theirs.id}/mute`, viewer.token);
		const mine = await postStatus(viewer, {
			status: "pinned one",
			visibility: "unlisted",
			media_ids: [await uploadedMedia(viewer, "first"), await uploadedMedia(viewer, "second")],
		});
		await postJson(`/api/v1/statuses/${mine.id}/pin`, viewer.token);
		await postJson(`/api/v1/statuses/${theirs.id}/reblog`, viewer.token);

		const boosts: string[] = [];
		for (const target of [theirs.id, mine.id]) {
			const res = await postJson(`/api/v1/statuses/${target}/reblog`, booster.token);
			boosts.push(((await res.json()) as { id: string }).id);
		}
		const db = createDb(env.DB);
		const wrapped = await loadStatusViews(db, config(), viewer.account.id, boosts);
		const direct = await loadStatusViews(db, config(), viewer.account.id, [theirs.id, mine.id]);
		expect(wrapped.map((s) => s.reblog)).toEqual(direct);
		const [first, second] = direct;
		expect(first).toMatchObject({ favourited: true, bookmarked: true, muted: true, reblogged: true });
		expect(first?.poll).toMatchObject({ voted: true, own_votes: [0, 2] });
		expect(first?.mentions).toHaveLength(2);
		expect(first?.tags.map((t) => t.name).sort()).toEqual(["alpha", "beta"]);
		expect(second).toMatchObject({ pinned: true, visibility: "unlisted" });
		expect(second?.media_attachments.map((m) => m.description)).toEqual(["first", "second"]);

		// Anonymous viewers get the same without the viewer's flags.
		const anonymous = await loadStatusViews(db, config(), null, boosts);
		expect(anonymous.map((s) => s.reblog)).toEqual(await loadStatusViews(db, config(), null, [theirs.id, mine.id]));
		expect(anonymous[0]?.reblog).not.toHaveProperty("favourited");
	}, 30_000);
});
