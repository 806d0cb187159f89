import type { MastodonCustomEmoji, MastodonStatusMention, MastodonStatusTag } from "./entities";

// Mastodon's featured tag and announcement entities.

export interface MastodonFeaturedTag {
	id: string;
	name: string;
	url: string;
	/** A string, as Mastodon sends it. */
	statuses_count: string;
	/** A date (YYYY-MM-DD), not a moment. */
	last_status_at: string | null;
}

export interface MastodonReaction {
	name: string;
	count: number;
	me?: boolean;
	url?: string;
	static_url?: string;
}

export interface MastodonAnnouncementStatus {
	id: string;
	url: string;
}

export interface MastodonAnnouncement {
	id: string;
	content: string;
	starts_at: string | null;
	ends_at: string | null;
	all_day: boolean;
	published_at: string;
	updated_at: string;
	read?: boolean;
	mentions: MastodonStatusMention[];
	statuses: MastodonAnnouncementStatus[];
	tags: MastodonStatusTag[];
	emojis: MastodonCustomEmoji[];
	reactions: MastodonReaction[];
}
