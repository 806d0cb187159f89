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
