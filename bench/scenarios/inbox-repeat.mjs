import { signedPost } from "../lib/peer.mjs";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/**
 * The inbox POST alone: the same signed Create sent again and again (each
 * time with a fresh signature), as a peer retrying a delivery does. Every
 * request parses, verifies and tries to store it; none has anything left to
 * process, so the CPU measured is the POST's own, without processing that
 * runs after the 202 in the same process.
 */
export default {
	name: "inbox-repeat",
	title: "Inbox POST alone (a repeated Create)",
	kind: "write",
	request: (ctx) => {
		const remote = ctx.data.hubFollowerRemotes[0];
		const noteId = `${remote.uri}/statuses/bench-repeat-${ctx.runId}`;
		const published = "2026-01-01T00:00:00.000Z";
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
				content: "<p>A delivery its sender retries, with a few more words to look like a real post.</p>",
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
	expect: [202],
};
