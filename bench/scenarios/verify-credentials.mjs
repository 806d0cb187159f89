export default {
	name: "verify-credentials",
	title: "GET verify_credentials",
	kind: "read",
	request: (ctx) => ({
		path: "/api/v1/accounts/verify_credentials",
		headers: { Authorization: `Bearer ${ctx.data.hub.token}`, Accept: "application/json" },
	}),
	expect: [200],
};
