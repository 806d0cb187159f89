// Full-text status search for a word every seeded post contains: the hub finds
// its own posts among everyone's, so the index is walked past the posts it may
// not see (at most MAX_CANDIDATES of them).
export default {
	name: "search-statuses",
	title: "GET search statuses (common word)",
	kind: "read",
	request: (ctx) => ({
		path: "/api/v2/search?type=statuses&q=weather&limit=20",
		headers: { Authorization: `Bearer ${ctx.data.hub.token}`, Accept: "application/json" },
	}),
	expect: [200],
};
