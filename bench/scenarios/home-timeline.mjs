const bearer = (ctx) => ({ Authorization: `Bearer ${ctx.data.hub.token}`, Accept: "application/json" });

export const homeFirst = {
	name: "home-first",
	title: "GET home timeline, first page (40)",
	kind: "read",
	timeline: true,
	request: (ctx) => ({ path: "/api/v1/timelines/home?limit=40", headers: bearer(ctx) }),
	expect: [200],
};

/** A page far back: max_id at about three quarters of the hub's home feed. */
export const homeDeep = {
	name: "home-deep",
	title: "GET home timeline, deep page (40)",
	kind: "read",
	timeline: true,
	request: (ctx) => ({ path: `/api/v1/timelines/home?limit=40&max_id=${ctx.data.deepMaxId}`, headers: bearer(ctx) }),
	expect: [200],
};
