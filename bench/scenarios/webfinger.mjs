export default {
	name: "webfinger",
	title: "WebFinger lookup",
	kind: "read",
	request: (ctx) => ({
		path: `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${ctx.data.hub.username}@${ctx.domain}`)}`,
		headers: { Accept: "application/jrd+json" },
	}),
	expect: [200],
};
