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

/**
 * Mastodon also sends `vapid_key` (deprecated) for Web Push. Tern has no Web
 * Push, so it leaves the key out rather than send one that cannot work.
 */
export interface MastodonApplication {
	id: string;
	name: string;
	website: string | null;
	scopes: string[];
	redirect_uri: string;
	redirect_uris: string[];
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
