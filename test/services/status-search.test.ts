import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { accounts } from "../../src/db/schema";
import { parseSearchQuery } from "../../src/services/search/query";
import { statusSearchQuery } from "../../src/services/search/statuses";
import { post } from "../helpers/posts";
import { createTestUser, db } from "../helpers/users";

async function run(q: string, viewerId: string) {
	const query = statusSearchQuery({
		parsed: parseSearchQuery(q),
		viewerId,
		fromIds: new Map([["me", viewerId]]),
		limit: 20,
		offset: 0,
	});
	if (!query) throw new Error(`no query for ${q}`);
	const { sql: text, params } = new SQLiteSyncDialect().sqlToQuery(query);
	const result = await env.DB.prepare(text)
		.bind(...params)
		.all<{ id: string }>();
	const plan = await db().all<{ detail: string }>(sql`explain query plan ${query}`);
	return { ids: result.results.map((r) => r.id), rowsRead: result.meta.rows_read, plan: plan.map((p) => p.detail) };
}

describe("status search queries", () => {
	it("read a word's index newest first and stop once the page is full", async () => {
		const stamp = Date.now().toString(36);
		const open = await createTestUser();
		const hidden = await createTestUser();
		const viewer = await createTestUser();
		await db().update(accounts).set({ indexable: true }).where(eq(accounts.id, open.account.id));
		for (let i = 0; i < 30; i++) await post(open.account, `common${stamp} ${i} rare${stamp}x${i % 3}`);
		for (let i = 0; i < 60; i++) await post(hidden.account, `common${stamp} ${i}`);

		const rare = await run(`rare${stamp}x1`, viewer.account.id);
		expect(rare.ids).toHaveLength(10);
		// A few point lookups per candidate, nothing read in proportion to the table.
		expect(rare.rowsRead).toBeLessThan(rare.ids.length * 8);
		expect(rare.plan.join("\n")).not.toMatch(/TEMP B-TREE|SCAN (s|statuses|accounts)\b/);

		// The 60 newer hidden posts are walked past, the rest of the list is not read.
		const common = await run(`common${stamp}`, viewer.account.id);
		expect(common.ids).toHaveLength(20);
		expect(common.rowsRead).toBeLessThan(80 * 8);

		const tagged = await run(`from:me`, open.account.id);
		expect(tagged.ids).toHaveLength(20);
		expect(tagged.plan.join("\n")).toMatch(/statuses_account_id_id/);
	});
});

describe("choosing the word to read", () => {
	it("reads the rarest word's index, whatever the order or length of the words", async () => {
		const stamp = Date.now().toString(36);
		const author = await createTestUser();
		await db().update(accounts).set({ indexable: true }).where(eq(accounts.id, author.account.id));
		for (let i = 0; i < 40; i++) await post(author.account, `weatherly${stamp} report number ${i}`);
		const viewer = await createTestUser();
		const found = await run(`weatherly${stamp} 17`, viewer.account.id);
		expect(found.ids).toHaveLength(1);
		// Reading the long, common word's list would read all 40 candidates and their lookups.
		expect(found.rowsRead).toBeLessThan(40 + 40 + 30);
		// (The only sort is of the query's own few words.)
		expect(found.plan.join("\n")).not.toMatch(/SCAN (status_search_terms|s|statuses)\b/);
	});
});
