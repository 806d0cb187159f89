import { ACTIVITYSTREAMS_CONTEXT, type ActivityDocument, PUBLIC_AUDIENCE } from "./simple-activities";

/**
 * Activities about a local account itself: Move to another account and
 * Delete of the actor. Shapes follow Mastodon's (`Move` with object = the
 * actor and target = the new account; `Delete` whose object is the actor).
 */

export function moveActivity(input: { actor: string; target: string; followers: string; at: Date }): ActivityDocument {
	return {
		"@context": ACTIVITYSTREAMS_CONTEXT,
		id: `${input.actor}#moves/${input.at.getTime()}`,
		type: "Move",
		actor: input.actor,
		object: input.actor,
		target: input.target,
		to: [input.followers],
	};
}

export function deleteActorActivity(input: { actor: string }): ActivityDocument {
	return {
		"@context": ACTIVITYSTREAMS_CONTEXT,
		id: `${input.actor}#delete`,
		type: "Delete",
		actor: input.actor,
		object: input.actor,
		to: [PUBLIC_AUDIENCE],
	};
}
