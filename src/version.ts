/** Tern's own version; a test keeps it equal to package.json's. */
export const TERN_VERSION = "0.1.0";

/** What Mastodon clients parse to decide which API features to use. */
export const MASTODON_COMPATIBLE_VERSION = "4.5.0";
export const VERSION_STRING = `${MASTODON_COMPATIBLE_VERSION} (compatible; Tern ${TERN_VERSION})`;

/**
 * Mastodon's machine-readable API level (Instance#api_versions). Tern claims
 * the level of the API surface it implements (Mastodon 4.4's), not a newer
 * one whose additions (quote posts, for one) it does not have.
 */
export const MASTODON_API_VERSION = 6;
