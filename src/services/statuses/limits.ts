/** Mastodon's default limits, also announced by /api/v2/instance. */
export const STATUS_LIMITS = {
	maxCharacters: 500,
	/** Every URL counts as this many characters, whatever its length. */
	charactersReservedPerUrl: 23,
	maxMediaAttachments: 4,
	maxPollOptions: 4,
	minPollOptions: 2,
	maxPollOptionCharacters: 50,
	minPollExpiration: 300,
	maxPollExpiration: 2629746,
	maxPinned: 5,
	/** Replies returned by /context at most, as Mastodon bounds it. */
	maxContextDescendants: 4096,
	maxContextAncestors: 40,
	idempotencyWindowMs: 60 * 60 * 1000,
} as const;

/** Length as Mastodon counts it: URLs as 23 characters, remote mentions without their domain. */
export function countStatusLength(text: string): number {
	const shortened = text
		.replace(/https?:\/\/[^\s<>"']+/g, "x".repeat(STATUS_LIMITS.charactersReservedPerUrl))
		.replace(/(^|[^\w/@])@([a-zA-Z0-9_]+(?:[a-zA-Z0-9_.-]*[a-zA-Z0-9_])?)@[a-zA-Z0-9.-]+/g, "$1@$2");
	return [...shortened].length;
}
