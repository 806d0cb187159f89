/**
 * POST /api/v1/statuses/:id/favourite by the hub on statuses of its home feed
 * (remote authors: each favourite is a Like delivered to the author's server),
 * with the queue work it causes.
 */
export default {
	name: "favourite",
	title: "POST favourite (and its Like delivery)",
	kind: "write",
	request: (ctx, i) => {
		const ids = ctx.data.homeStatusIds;
		return {
			method: "POST",
			path: `/api/v1/statuses/${ids[i % ids.length]}/favourite`,
			headers: { Authorization: `Bearer ${ctx.data.hub.token}`, Accept: "application/json" },
		};
	},
	expect: [200],
	queue: { quietMs: 200, timeoutMs: 15_000 },
};
