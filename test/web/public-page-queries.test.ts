import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { parseD1Stats } from "../../src/db/stats";
import { setupOpen } from "../../src/services/instance/setup";
import { apiWithVars } from "../helpers/modes";
import { postStatus, uploadedMedia } from "../helpers/statuses";
import { createTestUser, db, markSetUpDone } from "../helpers/users";

/** D1 queries of one request, counted by the same meter the benchmark uses. */
async function queries(path: string): Promise<{ queries: number; cache: string | null }> {
	const response = await apiWithVars({ BENCH_STATS: "true" }, path, { headers: { Accept: "text/html" } });
	expect(response.status, path).toBe(200);
	await response.text();
	return {
		queries: parseD1Stats(response.headers.get("X-Tern-D1"))?.queries ?? -1,
		cache: response.headers.get("X-Tern-Cache"),
	};
}

describe("D1 queries per public page", () => {
	// Until setup is done, `/` leads to /setup instead. An isolate learns once
	// that setup is closed (two statements) and then never asks again, so that
	// is done before counting.
	beforeEach(async () => {
		await markSetUpDone();
		await setupOpen(db(), env.DB);
	});

	it("stay at a handful when rendered, and at one when served from the edge cache", async () => {
		const user = await createTestUser();
		const media = await uploadedMedia(user);
		const post = await postStatus(user, { status: "counted #queries :tern:", media_ids: [media] });
		await postStatus(user, { status: "a reply", in_reply_to_id: post.id });
		const pages = [
			"/",
			"/about",
			`/@${user.account.username}`,
			`/@${user.account.username}/${post.id}`,
			"/tags/queries",
		];
		const counts: Record<string, { miss: number; hit: number }> = {};
		for (const path of pages) {
			const miss = await queries(path);
			const hit = await queries(path);
			expect(miss.cache).toBe("MISS");
			expect(hit.cache).toBe("HIT");
			counts[path] = { miss: miss.queries, hit: hit.queries };
		}
		console.log("D1 queries per page (miss, hit):", JSON.stringify(counts));
		for (const { miss, hit } of Object.values(counts)) {
			expect(miss).toBeLessThanOrEqual(8);
			expect(hit).toBeLessThanOrEqual(2);
		}
	});
});
