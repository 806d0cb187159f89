import { scopeCovers } from "../../lib/scopes";
import { normalizeTag } from "../../lib/text/status-text";

/**
 * Mastodon's stream names, the parameters they take, and the scopes they
 * need (as Mastodon's streaming server checks them: public and tag streams
 * need only a user token; the rest `read:statuses`, notifications
 * `read:notifications`, `read` covers all).
 */

const PUBLIC_STREAMS = [
	"public",
	"public:media",
	"public:local",
	"public:local:media",
	"public:remote",
	"public:remote:media",
] as const;

const STREAM_NAMES = new Set<string>([
	...PUBLIC_STREAMS,
	"hashtag",
	"hashtag:local",
	"user",
	"user:notification",
	"list",
	"direct",
]);

/** One subscription of one connection. */
export interface Subscription {
	/** How it is matched and recorded in stream_subscriptions: `user`, `list:<id>`, `hashtag:local:<name>`… */
	key: string;
	/** What the client is told in each event's `stream`, e.g. `["hashtag", "Foo"]` as it asked. */
	label: string[];
}

export interface StreamParams {
	tag?: unknown;
	list?: unknown;
	only_media?: unknown;
}

export class StreamError extends Error {
	constructor(
		message: string,
		readonly status: number,
	) {
		super(message);
	}
}

const FALSE_VALUES = new Set(["0", "f", "F", "false", "FALSE", "off", "OFF"]);

function truthy(value: unknown): boolean {
	if (value === true || value === 1) return true;
	return typeof value === "string" && value !== "" && !FALSE_VALUES.has(value);
}

function firstString(value: unknown): string | undefined {
	if (Array.isArray(value)) return firstString(value[0]);
	return typeof value === "string" ? value : undefined;
}

/**
 * The subscription a client asks for by stream name and parameters, or a
 * StreamError saying why not. A list's ownership is checked by the caller.
 */
export function parseSubscription(name: unknown, params: StreamParams): Subscription {
	const stream = firstString(name);
	if (!stream || !STREAM_NAMES.has(stream)) throw new StreamError("Unknown stream type", 400);
	if (stream === "hashtag" || stream === "hashtag:local") {
		const tag = firstString(params.tag);
		if (!tag) throw new StreamError("No tag for stream provided", 400);
		const normalized = normalizeTag(tag.replace(/^#/, ""));
		const key = stream === "hashtag" ? `hashtag:${normalized}` : `hashtag:local:${normalized}`;
		return { key, label: [stream, tag] };
	}
	if (stream === "list") {
		const list = firstString(params.list);
		if (!list) throw new StreamError("Not authorized to stream this list", 404);
		return { key: `list:${list}`, label: [stream, list] };
	}
	const withMedia = truthy(params.only_media) && !stream.endsWith(":media") && stream.startsWith("public");
	const key = withMedia ? `${stream}:media` : stream;
	return { key, label: [key] };
}

/** The stream an SSE path names (`/api/v1/streaming/public/local`), as Mastodon maps them. */
export function streamNameFromPath(path: string): string | undefined {
	const names: Record<string, string> = {
		user: "user",
		"user/notification": "user:notification",
		public: "public",
		"public/local": "public:local",
		"public/remote": "public:remote",
		hashtag: "hashtag",
		"hashtag/local": "hashtag:local",
		list: "list",
		direct: "direct",
	};
	return names[path];
}

/** The list id of a `list:<id>` key, or null. */
export function listIdOf(key: string): string | null {
	return key.startsWith("list:") ? key.slice(5) : null;
}

export function isPublicKey(key: string): boolean {
	return key.startsWith("public") || key.startsWith("hashtag:");
}

/** Whether a token with `scopes` may subscribe to the stream of `key`. */
export function mayStream(scopes: readonly string[], key: string): boolean {
	if (isPublicKey(key)) return true;
	if (key === "user:notification") return scopeCovers(scopes, "read:notifications");
	return scopeCovers(scopes, "read:statuses");
}

/** The `user` stream carries notifications only for tokens that may read them, as on Mastodon. */
export function userStreamHasNotifications(scopes: readonly string[]): boolean {
	return scopeCovers(scopes, "read:notifications");
}
