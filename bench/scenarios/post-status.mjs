import { json } from "../lib/http.mjs";
import { round } from "../lib/stats.mjs";

/**
 * POST /api/v1/statuses by the hub (1,000 followers on N domains), then the
 * delivery it causes: every post is followed by waiting until each follower
 * domain's inbox got it, so requests are measured on a quiet Worker.
 */
export default {
	name: "post-status",
	title: "POST /api/v1/statuses (1,000 followers)",
	kind: "write",
	request: (ctx, i) => ({
		method: "POST",
		path: "/api/v1/statuses",
		headers: {
			Authorization: `Bearer ${ctx.data.hub.token}`,
			"Content-Type": "application/json",
			"Idempotency-Key": `bench-${ctx.runId}-${i}`,
		},
		body: JSON.stringify({
			status: `Benchmark post ${i}: hello to all ${ctx.data.hubFollowers} followers.`,
			visibility: "public",
		}),
	}),
	expect: [200],
	after(ctx, _i, response) {
		const status = json(response);
		ctx.postDelivery = { uri: status?.uri, postedAt: performance.now() };
		ctx.postDeliveries ??= [];
		ctx.postDeliveries.push(ctx.postDelivery);
	},
	queue: {
		quietMs: 300,
		timeoutMs: 120_000,
		until: (_lines, ctx) => {
			const current = ctx.postDelivery;
			if (!current?.uri) return true;
			const inboxes = new Set(ctx.peer.deliveriesOf(current.uri).map((d) => d.inbox));
			return inboxes.size >= ctx.data.hubFollowerInboxes;
		},
	},
	summarize(ctx) {
		const runs = (ctx.postDeliveries ?? []).filter((p) => p.uri);
		const perPost = runs.map((p) => {
			const deliveries = ctx.peer.deliveriesOf(p.uri);
			const last = Math.max(...deliveries.map((d) => d.at));
			return {
				deliveries: deliveries.length,
				inboxes: new Set(deliveries.map((d) => d.inbox)).size,
				seconds: deliveries.length > 0 ? (last - p.postedAt) / 1000 : null,
			};
		});
		const reached = perPost.map((p) => p.inboxes);
		const total = perPost.reduce((s, p) => s + p.deliveries, 0);
		const seconds = perPost.reduce((s, p) => s + (p.seconds ?? 0), 0);
		return {
			delivery: {
				posts: runs.length,
				expectedInboxes: ctx.data.hubFollowerInboxes,
				followers: ctx.data.hubFollowers,
				inboxesReachedMin: reached.length ? Math.min(...reached) : 0,
				inboxesReachedMax: reached.length ? Math.max(...reached) : 0,
				deliveriesPerPost: runs.length ? round(total / runs.length, 1) : 0,
				deliveriesPerSecond: seconds > 0 ? round(total / seconds, 1) : null,
				secondsUntilAllArrivedMedian: perPost.length
					? round([...perPost.map((p) => p.seconds ?? 0)].sort((a, b) => a - b)[Math.floor(perPost.length / 2)], 2)
					: null,
			},
		};
	},
};
