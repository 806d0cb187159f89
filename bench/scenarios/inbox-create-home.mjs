import { json, send } from "../lib/http.mjs";
import { signedPost } from "../lib/peer.mjs";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/**
 * A signed public Create(Note) from a remote account the hub follows, so the
 * post is stored and lands in a home feed (the hub's; no other local account
 * follows remote ones in the dataset). Measures what an inbound public post
 * costs end to end: the inbox POST, then its processing (in the queue or in
 * waitUntil, whichever the Worker uses).
 */
export default {
	name: "inbox-create-home",
	title: "Inbox POST, signed Create of a followed account",
	kind: "write",
	async prepare(ctx) {
		const byUri = new Map(ctx.data.remotes.map((r) => [r.uri, r]));
		const followed = [];
		let path = `/api/v1/accounts/${ctx.data.hub.id}/following?limit=80`;
		const headers = { Authorization: `Bearer ${ctx.data.hub.token}`, Accept: "application/json" };
		for (let page = 0; page < 10 && path && followed.length < 200; page++) {
			const response = await send(ctx.worker.origin, { path, headers });
			if (response.status !== 200) return `GET following answered ${response.status}`;
			for (const account of json(response) ?? []) {
				const remote = byUri.get(account.uri) ?? byUri.get(account.url);
				if (remote) followed.push(remote);
			}
			const next = /<([^>]+)>;\s*rel="next"/.exec(String(response.headers.link ?? ""))?.[1];
			path = next ? new URL(next).pathname + new URL(next).search : null;
		}
		if (followed.length === 0) return "the hub follows no remote account";
		ctx.hubFollowedRemotes = followed;
		return null;
	},
	request: (ctx, i) => {
		const followed = ctx.hubFollowedRemotes ?? ctx.data.hubFollowerRemotes;
		const remote = followed[i % followed.length];
		const noteId = `${remote.uri}/statuses/bench-home-${ctx.runId}-${i}`;
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
				content: `<p>Followed note ${i} from ${remote.username}: twenty or so distinct words, as an ordinary post carries, about lunch, trains, rain and a good book.</p>`,
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
