import type { RelationshipState } from "../../services/accounts/relationships";
import type { MastodonRelationship } from "./entities";

export function serializeRelationship(state: RelationshipState): MastodonRelationship {
	const follow = state.following ?? state.requested;
	return {
		id: state.id,
		following: state.following !== null,
		showing_reblogs: follow?.showReblogs ?? false,
		notifying: follow?.notify ?? false,
		languages: follow?.languages ?? null,
		followed_by: state.followedBy,
		blocking: state.blocking,
		blocked_by: state.blockedBy,
		muting: state.muting !== null,
		muting_notifications: state.muting?.hideNotifications ?? false,
		muting_expires_at: state.muting?.expiresAt?.toISOString() ?? null,
		requested: state.requested !== null,
		requested_by: state.requestedBy,
		// Domain blocks and endorsements are not kept by Tern yet.
		domain_blocking: false,
		endorsed: false,
		note: state.note,
	};
}
