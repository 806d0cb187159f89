import type { MastodonFilterResult } from "./filter-entities";

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
	report?: unknown;
	moderation_warning?: unknown;
	event?: unknown;
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
	report?: unknown;
	moderation_warning?: unknown;
	event?: unknown;
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
	limited?: boolean;
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
