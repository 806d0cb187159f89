import { signedPost } from "../lib/peer.mjs";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/**
 * A signed Create(Note), as Mastodon would deliver it, from `senders(ctx)`:
 * the hub's remote followers (a post nobody here follows the author of, which
 * Tern records and drops) or the remote accounts the hub follows (a post
 * Tern stores, indexes and puts in the hub's home feed).
 */
function inboxCreate({ name, title, senders }) {
	return {
		name,
		title,
		kind: "write",
		request: (ctx, i) => {
			const list = senders(ctx);
			return signedCreate(ctx, list[i % list.length], i);
		},
		expect: [202, 200],
		queue: { until: (lines) => lines.some((l) => l.queue === "tern-inbox" || l.queue === "waitUntil.inbox") },
	};
}

export default inboxCreate({
	name: "inbox-create",
	title: "Inbox POST, signed Create (author nobody here follows)",
	senders: (ctx) => ctx.data.hubFollowerRemotes,
});

export const inboxCreateFollowed = inboxCreate({
	name: "inbox-create-followed",
	title: "Inbox POST, signed Create from an account the hub follows",
	senders: (ctx) => ctx.data.hubFollowedRemotes,
});

function signedCreate(ctx, remote, i) {
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
}
