import type { MastodonAccount } from "./entities";

// Mastodon's instance entities (/api/v1/instance, /api/v2/instance) and what they announce.

export interface MastodonRule {
	id: string;
	text: string;
	hint: string;
}

export interface MastodonPreferences {
	"posting:default:visibility": "public" | "unlisted" | "private" | "direct";
	"posting:default:sensitive": boolean;
	"posting:default:language": string | null;
	"reading:expand:media": "default" | "show_all" | "hide_all";
	"reading:expand:spoilers": boolean;
}

export interface MastodonInstanceConfigurationLimits {
	statuses: { max_characters: number; max_media_attachments: number; characters_reserved_per_url: number };
	media_attachments: {
		supported_mime_types: string[];
		image_size_limit: number;
		image_matrix_limit: number;
		video_size_limit: number;
		video_matrix_limit: number;
		video_frame_rate_limit: number;
		description_limit?: number;
	};
	polls: {
		max_options: number;
		max_characters_per_option: number;
		min_expiration: number;
		max_expiration: number;
	};
}

/** /api/v2/instance. */
export interface MastodonInstance {
	domain: string;
	title: string;
	version: string;
	source_url: string;
	description: string;
	usage: { users: { active_month: number } };
	thumbnail: { url: string; blurhash?: string | null; versions?: Record<string, string> };
	icon: { src: string; size: string }[];
	languages: string[];
	configuration: MastodonInstanceConfigurationLimits & {
		urls: {
			about: string | null;
			privacy_policy: string | null;
			terms_of_service: string | null;
			status: string | null;
			/** Where the streaming API is: this same host, over wss (ws locally). */
			streaming: string;
		};
		accounts: {
			max_featured_tags: number;
			max_pinned_statuses: number;
			max_display_name_length: number;
			max_note_length: number;
			max_profile_fields: number;
			profile_field_name_limit: number;
			profile_field_value_limit: number;
			max_avatar_description_length: number;
			max_header_description_length: number;
		};
		translation: { enabled: boolean };
		vapid: { public_key: string };
		limited_federation: boolean;
	};
	registrations: {
		enabled: boolean;
		approval_required: boolean;
		reason_required: boolean;
		message: string | null;
		url: string | null;
		min_age: number | null;
	};
	api_versions: { mastodon: number };
	contact: { email: string; account: MastodonAccount | null };
	rules: MastodonRule[];
}

/** /api/v1/instance (deprecated by Mastodon, still read by older apps; Mastodon's own apps require `urls.streaming_api`). */
export interface MastodonV1Instance {
	uri: string;
	title: string;
	short_description: string;
	description: string;
	email: string;
	version: string;
	urls: { streaming_api: string };
	stats: { user_count: number; status_count: number; domain_count: number };
	thumbnail: string | null;
	languages: string[];
	registrations: boolean;
	approval_required: boolean;
	invites_enabled: boolean;
	configuration: MastodonInstanceConfigurationLimits & { accounts: { max_featured_tags: number } };
	contact_account: MastodonAccount | null;
	rules: MastodonRule[];
}
