import { signedPost } from "../lib/peer.mjs";

function follow(name, title, targetOf) {
	return {
		name,
		title,
		kind: "write",
		request: (ctx, i) => {
			const target = targetOf(ctx.data);
			// A different remote actor each time, so each Follow is new.
			const remote = ctx.data.remotes[(i * 7 + (name.endsWith("locked") ? 3 : 0)) % ctx.data.remotes.length];
			const activity = {
				"@context": "https://www.w3.org/ns/activitystreams",
				id: `${remote.uri}#follows/bench-${ctx.runId}-${name}-${i}`,
				type: "Follow",
				actor: remote.uri,
				object: `${ctx.worker.origin}/users/${target.username}`,
			};
			const path = `/users/${target.username}/inbox`;
			return { path, ...signedPost(`${ctx.worker.origin}${path}`, JSON.stringify(activity), remote) };
		},
		expect: [202, 200],
		queue: { until: (lines) => lines.some((l) => l.queue === "tern-inbox" || l.queue === "waitUntil.inbox") },
	};
}

export const followUnlocked = follow("inbox-follow-unlocked", "Inbox POST, Follow (unlocked)", (d) => d.unlocked);
export const followLocked = follow("inbox-follow-locked", "Inbox POST, Follow (locked)", (d) => d.locked);
