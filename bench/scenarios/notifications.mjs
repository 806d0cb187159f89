export default {
	name: "notifications",
	title: "GET notifications",
	kind: "read",
	request: (ctx) => ({
		path: "/api/v1/notifications?limit=40",
		headers: { Authorization: `Bearer ${ctx.data.hub.token}`, Accept: "application/json" },
	}),
	expect: [200],
};
