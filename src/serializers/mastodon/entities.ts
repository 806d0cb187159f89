/**
 * Mastodon's client API entities, as its documentation and OpenAPI schema
 * define them. Serializers return these types, so a missing or mistyped field
 * is a compile error.
 */
export interface MastodonCustomEmoji {
	shortcode: string;
	url: string;
	static_url: string;
	visible_in_picker: boolean;
	category: string | null;
}

export interface MastodonField {
	name: string;
	value: string;
	verified_at: string | null;
}

export interface MastodonRole {
	id: string;
	name: string;
	color: string;
	permissions: string;
	highlighted: boolean;
}

export interface MastodonRelationship {
	id: string;
	following: boolean;
	showing_reblogs: boolean;
	notifying: boolean;
	languages: string[] | null;
	followed_by: boolean;
	blocking: boolean;
	blocked_by: boolean;
	muting: boolean;
	muting_notifications: boolean;
	muting_expires_at: string | null;
	requested: boolean;
	requested_by: boolean;
	domain_blocking: boolean;
	endorsed: boolean;
	note: string;
}

export interface MastodonFamiliarFollowers {
	id: string;
	accounts: MastodonAccount[];
}

export interface MastodonMarker {
	last_read_id: string;
	version: number;
	updated_at: string;
}

export interface MastodonList {
	id: string;
	title: string;
	replies_policy: "followed" | "list" | "none";
	exclusive: boolean;
}

export interface MastodonTagHistory {
	day: string;
	uses: string;
	accounts: string;
}

export interface MastodonTag {
	id: string;
	name: string;
	url: string;
	history: MastodonTagHistory[];
	following?: boolean;
}

export interface MastodonNotification {
	id: string;
	type: string;
	group_key: string;
	created_at: string;
	account: MastodonAccount;
	status?: MastodonStatus;
}

export interface MastodonNotificationGroup {
	group_key: string;
	notifications_count: number;
	type: string;
	most_recent_notification_id: number;
	page_min_id: string;
	page_max_id: string;
	latest_page_notification_at: string;
	sample_account_ids: string[];
	status_id?: string;
}

export interface MastodonGroupedNotifications {
	accounts: MastodonAccount[];
	statuses: MastodonStatus[];
	notification_groups: MastodonNotificationGroup[];
}

export interface MastodonAccount {
	id: string;
	username: string;
	acct: string;
	url: string | null;
	uri: string;
	display_name: string;
	note: string;
	avatar: string;
	avatar_static: string;
	avatar_description: string;
	header: string;
	header_static: string;
	header_description: string;
	locked: boolean;
	fields: MastodonField[];
	emojis: MastodonCustomEmoji[];
	bot: boolean;
	group: boolean;
	discoverable: boolean | null;
	indexable: boolean;
	hide_collections: boolean | null;
	noindex?: boolean | null;
	memorial?: boolean | null;
	moved?: MastodonAccount | null;
	suspended?: boolean;
	roles: Pick<MastodonRole, "id" | "name" | "color">[];
	created_at: string;
	last_status_at: string | null;
	statuses_count: number;
	followers_count: number;
	following_count: number;
}

export interface MastodonSource {
	note: string;
	fields: MastodonField[];
	privacy: "public" | "unlisted" | "private" | "direct";
	sensitive: boolean;
	language: string | null;
	follow_requests_count: number;
	hide_collections: boolean;
	discoverable: boolean;
	indexable: boolean;
	attribution_domains: string[];
}

export interface MastodonCredentialAccount extends MastodonAccount {
	source: MastodonSource;
	role: MastodonRole;
}

export interface MastodonError {
	error: string;
	error_description?: string;
}

export interface MastodonApplication {
	id: string;
	name: string;
	website: string | null;
	scopes: string[];
	redirect_uri: string;
	redirect_uris: string[];
	/** Deprecated by Mastodon in favour of the instance's `configuration.vapid`, still read by older apps. */
	vapid_key: string;
}

export interface MastodonCredentialApplication extends MastodonApplication {
	client_id: string;
	client_secret: string;
	client_secret_expires_at: number;
}

export interface MastodonToken {
	access_token: string;
	token_type: "Bearer";
	scope: string;
	created_at: number;
}

export interface MastodonRule {
	id: string;
	text: string;
	hint: string;
}

export interface MastodonMetaDetails {
	width?: number;
	height?: number;
	size?: string;
	aspect?: number;
}

export interface MastodonMediaAttachment {
	id: string;
	type: "unknown" | "image" | "gifv" | "video" | "audio";
	url: string | null;
	preview_url: string | null;
	remote_url: string | null;
	/** Mastodon still sends this deprecated field; some clients read it. */
	text_url?: string | null;
	meta: {
		original?: MastodonMetaDetails;
		small?: MastodonMetaDetails;
		focus?: { x: number; y: number };
	} | null;
	description: string | null;
	blurhash: string | null;
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

/** /api/v2/instance. No `urls.streaming`: Tern has no streaming API. */
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

/** /api/v1/instance (deprecated by Mastodon, still read by older apps). No `urls.streaming_api`: see above. */
export interface MastodonV1Instance {
	uri: string;
	title: string;
	short_description: string;
	description: string;
	email: string;
	version: string;
	urls: Record<string, never>;
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

export type MastodonVisibility = "public" | "unlisted" | "private" | "direct";

export interface MastodonPoll {
	id: string;
	expires_at: string | null;
	expired: boolean;
	multiple: boolean;
	votes_count: number;
	voters_count: number | null;
	options: { title: string; votes_count: number | null }[];
	emojis: MastodonCustomEmoji[];
	voted?: boolean;
	own_votes?: number[];
}

export interface MastodonStatusTag {
	name: string;
	url: string;
}

export interface MastodonStatusMention {
	id: string;
	username: string;
	url: string;
	acct: string;
}

export interface MastodonFilterKeyword {
	id: string;
	keyword: string;
	whole_word: boolean;
}

export interface MastodonFilterStatus {
	id: string;
	status_id: string;
}

export interface MastodonFilter {
	id: string;
	title: string;
	context: ("home" | "notifications" | "public" | "thread" | "account")[];
	expires_at: string | null;
	filter_action: "warn" | "hide" | "blur";
	keywords?: MastodonFilterKeyword[];
	statuses?: MastodonFilterStatus[];
}

export interface MastodonV1Filter {
	id: string;
	phrase: string;
	context: MastodonFilter["context"];
	expires_at: string | null;
	irreversible: boolean;
	whole_word: boolean;
}

export interface MastodonFilterResult {
	filter: MastodonFilter;
	keyword_matches: string[] | null;
	status_matches: string[] | null;
}

export interface MastodonStatus {
	id: string;
	uri: string;
	url: string | null;
	created_at: string;
	account: MastodonAccount;
	content: string;
	visibility: MastodonVisibility;
	sensitive: boolean;
	spoiler_text: string;
	media_attachments: MastodonMediaAttachment[];
	application: { name: string; website: string | null } | null;
	mentions: MastodonStatusMention[];
	tags: MastodonStatusTag[];
	emojis: MastodonCustomEmoji[];
	reblogs_count: number;
	favourites_count: number;
	replies_count: number;
	in_reply_to_id: string | null;
	in_reply_to_account_id: string | null;
	reblog: MastodonStatus | null;
	poll: MastodonPoll | null;
	card: null;
	language: string | null;
	/** Only in answers to DELETE, for delete-and-redraft. */
	text?: string | null;
	edited_at: string | null;
	favourited?: boolean;
	reblogged?: boolean;
	muted?: boolean;
	bookmarked?: boolean;
	pinned?: boolean;
	filtered?: MastodonFilterResult[];
}

export interface MastodonStatusSource {
	id: string;
	text: string;
	spoiler_text: string;
}

export interface MastodonStatusEdit {
	content: string;
	spoiler_text: string;
	sensitive: boolean;
	created_at: string;
	account: MastodonAccount;
	poll: { options: { title: string }[] } | null;
	media_attachments: MastodonMediaAttachment[];
	emojis: MastodonCustomEmoji[];
}

export interface MastodonContext {
	ancestors: MastodonStatus[];
	descendants: MastodonStatus[];
}

export interface MastodonConversation {
	id: string;
	unread: boolean;
	accounts: MastodonAccount[];
	last_status: MastodonStatus | null;
}

export type MastodonPushPolicy = "all" | "followed" | "follower" | "none";

export interface MastodonWebPushSubscription {
	id: string;
	endpoint: string;
	standard: boolean;
	alerts: Record<string, boolean>;
	server_key: string;
	policy: MastodonPushPolicy;
}

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
