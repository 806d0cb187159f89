export default {
	name: "account-statuses",
	title: "GET account statuses",
	kind: "read",
	request: (ctx) => ({
		path: `/api/v1/accounts/${ctx.data.hub.id}/statuses?limit=20`,
		headers: { Authorization: `Bearer ${ctx.data.locals[3]?.token ?? ctx.data.hub.token}`, Accept: "application/json" },
	}),
	expect: [200],
};
