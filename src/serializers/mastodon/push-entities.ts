// Mastodon's Web Push subscription entity.

export type MastodonPushPolicy = "all" | "followed" | "follower" | "none";

export interface MastodonWebPushSubscription {
	id: string;
	endpoint: string;
	standard: boolean;
	alerts: Record<string, boolean>;
	server_key: string;
	policy: MastodonPushPolicy;
}
