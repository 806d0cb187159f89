/**
 * Activities that only name things by id: Like, Follow, Block, their Undo,
 * Accept and Reject of a Follow, Delete with a Tombstone. Shapes and ids
 * follow what Mastodon sends, since every peer is tested against it.
 */

export const ACTIVITYSTREAMS_CONTEXT = "https://www.w3.org/ns/activitystreams";
export const PUBLIC_AUDIENCE = "https://www.w3.org/ns/activitystreams#Public";

export type ActivityDocument = Record<string, unknown> & { id: string; type: string; actor: string };

interface Ref {
	id: string;
	actor: string;
	object: string;
}

function bare(type: string, ref: Ref): ActivityDocument {
	return { id: ref.id, type, actor: ref.actor, object: ref.object };
}

export function likeActivity(ref: Ref): ActivityDocument {
	return { "@context": ACTIVITYSTREAMS_CONTEXT, ...bare("Like", ref) };
}

export function followActivity(ref: Ref): ActivityDocument {
	return { "@context": ACTIVITYSTREAMS_CONTEXT, ...bare("Follow", ref) };
}

export function blockActivity(ref: Ref): ActivityDocument {
	return { "@context": ACTIVITYSTREAMS_CONTEXT, ...bare("Block", ref) };
}

/** Undo of one of the actor's activities, which is repeated inline so the peer need not look it up. */
export function undoActivity(
	type: "Like" | "Follow" | "Block" | "Announce",
	ref: Ref,
	audience: { to?: string[]; cc?: string[] } = {},
): ActivityDocument {
	return {
		"@context": ACTIVITYSTREAMS_CONTEXT,
		id: `${ref.id}/undo`,
		type: "Undo",
		actor: ref.actor,
		...audience,
		object: { ...bare(type, ref), ...audience },
	};
}

/** Accept or Reject of a Follow, sent by the followed local account. */
export function followAnswer(
	type: "Accept" | "Reject",
	input: { id: string; localActor: string; follow: { id: string | null; actor: string } },
): ActivityDocument {
	const follow: Record<string, unknown> = { type: "Follow", actor: input.follow.actor, object: input.localActor };
	if (input.follow.id) follow.id = input.follow.id;
	return { "@context": ACTIVITYSTREAMS_CONTEXT, id: input.id, type, actor: input.localActor, object: follow };
}

/** Delete of a post: the object is a Tombstone, addressed publicly so every server that has it drops it. */
export function deleteStatusActivity(input: { statusUri: string; actor: string }): ActivityDocument {
	return {
		"@context": ACTIVITYSTREAMS_CONTEXT,
		id: `${input.statusUri}#delete`,
		type: "Delete",
		actor: input.actor,
		to: [PUBLIC_AUDIENCE],
		object: { id: input.statusUri, type: "Tombstone", atomUri: input.statusUri },
	};
}

/** A vote in a remote poll: a Create of a Note named after the chosen option, sent to the poll's author only. */
export function pollVoteActivity(input: {
	voteId: string;
	actor: string;
	pollStatusUri: string;
	pollAuthorUri: string;
	optionTitle: string;
}): ActivityDocument {
	const id = `${input.actor}#votes/${input.voteId}`;
	return {
		"@context": ACTIVITYSTREAMS_CONTEXT,
		id: `${id}/activity`,
		type: "Create",
		actor: input.actor,
		to: [input.pollAuthorUri],
		object: {
			id,
			type: "Note",
			name: input.optionTitle,
			attributedTo: input.actor,
			inReplyTo: input.pollStatusUri,
			to: [input.pollAuthorUri],
		},
	};
}

/** Update wrapping a fresh copy of an object (an edited Note, or the actor document). */
export function updateActivity(input: {
	id: string;
	actor: string;
	object: Record<string, unknown>;
	to: string[];
	cc: string[];
}): ActivityDocument {
	return {
		"@context": [ACTIVITYSTREAMS_CONTEXT, "https://w3id.org/security/v1"],
		id: input.id,
		type: "Update",
		actor: input.actor,
		to: input.to,
		cc: input.cc,
		object: stripContext(input.object),
	};
}

function stripContext(object: Record<string, unknown>): Record<string, unknown> {
	const { "@context": _context, ...rest } = object;
	return rest;
}
