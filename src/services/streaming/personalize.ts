import type { MastodonStatus } from "../../serializers/mastodon/entities";

/**
 * A viewer's copy of a post nobody could have interacted with yet, from its
 * anonymous rendering: not favourited, boosted, bookmarked or pinned by
 * anyone; muted when the viewer muted its conversation; its poll voted by
 * nobody but counted as voted by its author, who also sees the (zero)
 * totals a poll may hide from others. Exactly what loadStatusViews would
 * give this viewer, without reading D1.
 */
export function freshStatusFor(template: MastodonStatus, viewerId: string, mutedConversation: boolean): MastodonStatus {
	const own = template.account.id === viewerId;
	const copy: MastodonStatus = {
		...template,
		favourited: false,
		reblogged: false,
		bookmarked: false,
		muted: mutedConversation,
		pinned: false,
	};
	if (template.poll) {
		copy.poll = {
			...template.poll,
			voted: own,
			own_votes: [],
			options: own
				? template.poll.options.map((option) => ({ ...option, votes_count: option.votes_count ?? 0 }))
				: template.poll.options,
		};
	}
	return copy;
}
