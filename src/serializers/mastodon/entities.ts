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

/** `S` is the Status entity, rendered by the status serializer. */
export interface MastodonNotification<S> {
	id: string;
	type: string;
	group_key: string;
	created_at: string;
	account: MastodonAccount;
	status?: S;
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

export interface MastodonGroupedNotifications<S> {
	accounts: MastodonAccount[];
	statuses: S[];
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
