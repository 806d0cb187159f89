import type { InstanceConfig } from "../../config";
import { renderStatusHtml } from "../../lib/text/status-text";
import type { AnnouncementView, ReactionCount } from "../../services/instance/announcement-views";
import { mentionMap } from "../../services/statuses/mentions";
import type { MastodonAnnouncement, MastodonReaction } from "./announcement-entities";
import { serializeCustomEmoji } from "./custom-emoji";
import { serializeStatusMention } from "./status";
import { serializeStatusTag } from "./tag";

export function serializeReaction(reaction: ReactionCount, config: InstanceConfig): MastodonReaction {
	const emoji = reaction.emoji ? serializeCustomEmoji(reaction.emoji, config) : null;
	return {
		name: reaction.name,
		count: reaction.count,
		...(reaction.me === null ? {} : { me: reaction.me }),
		...(emoji ? { url: emoji.url, static_url: emoji.static_url } : {}),
	};
}

/** The text is plain, rendered to HTML as a local post's is: paragraphs, links, known @mentions, #tags. */
export function serializeAnnouncement(view: AnnouncementView, config: InstanceConfig): MastodonAnnouncement {
	const { announcement } = view;
	return {
		id: announcement.id,
		content: renderStatusHtml(announcement.text, { origin: config.origin, mentions: mentionMap(view.mentioned) }),
		starts_at: announcement.startsAt?.toISOString() ?? null,
		ends_at: announcement.endsAt?.toISOString() ?? null,
		all_day: announcement.allDay,
		published_at: (announcement.publishedAt ?? announcement.createdAt).toISOString(),
		updated_at: announcement.updatedAt.toISOString(),
		...(view.read === null ? {} : { read: view.read }),
		mentions: view.mentioned.map(serializeStatusMention),
		statuses: view.statuses,
		tags: view.tagNames.map((name) => serializeStatusTag({ name }, config)),
		emojis: view.emojis.map((emoji) => serializeCustomEmoji(emoji, config)),
		reactions: view.reactions.map((reaction) => serializeReaction(reaction, config)),
	};
}
