import { signedPost } from "../lib/peer.mjs";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** A signed Create(Note) from one of the hub's remote followers, as Mastodon would deliver it. */
export default {
	name: "inbox-create",
	title: "Inbox POST, signed Create",
	kind: "write",
	request: (ctx, i) => {
		const followers = ctx.data.hubFollowerRemotes;
		const remote = followers[i % followers.length];
		const noteId = `${remote.uri}/statuses/bench-${ctx.runId}-${i}`;
		const published = new Date().toISOString();
		const activity = {
			"@context": "https://www.w3.org/ns/activitystreams",
			id: `${noteId}/activity`,
			type: "Create",
			actor: remote.uri,
			published,
			to: [PUBLIC],
			cc: [`${remote.uri}/followers`],
			object: {
				id: noteId,
				type: "Note",
				attributedTo: remote.uri,
				content: `<p>Benchmark note ${i} from ${remote.username}, with a few more words to look like a real post.</p>`,
				published,
				url: noteId,
				to: [PUBLIC],
				cc: [`${remote.uri}/followers`],
				sensitive: false,
				tag: [],
				attachment: [],
			},
		};
		const path = `/users/${ctx.data.hub.username}/inbox`;
		return { path, ...signedPost(`${ctx.worker.origin}${path}`, JSON.stringify(activity), remote) };
	},
	expect: [202, 200],
	queue: { until: (lines) => lines.some((l) => l.queue === "tern-inbox" || l.queue === "waitUntil.inbox") },
};
