export default {
	name: "status-ap",
	title: "GET status as ActivityPub",
	kind: "read",
	request: (ctx, i) => {
		const ids = ctx.data.hubPublicStatusIds;
		return {
			path: `/users/${ctx.data.hub.username}/statuses/${ids[i % ids.length]}`,
			headers: { Accept: "application/activity+json" },
		};
	},
	expect: [200],
};
