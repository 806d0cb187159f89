export default {
	name: "actor",
	title: "GET actor (ActivityPub)",
	kind: "read",
	request: (ctx) => ({
		path: `/users/${ctx.data.hub.username}`,
		headers: { Accept: "application/activity+json" },
	}),
	expect: [200],
};
