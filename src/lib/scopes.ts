/** Every OAuth scope Tern knows, as Mastodon names them. */
export const KNOWN_SCOPES = new Set([
	"read",
	"write",
	"follow",
	"push",
	"profile",
	"admin:read",
	"admin:write",
	...[
		"accounts",
		"blocks",
		"bookmarks",
		"favourites",
		"filters",
		"follows",
		"lists",
		"mutes",
		"notifications",
		"search",
		"statuses",
	].map((s) => `read:${s}`),
	...[
		"accounts",
		"blocks",
		"bookmarks",
		"conversations",
		"favourites",
		"filters",
		"follows",
		"lists",
		"media",
		"mutes",
		"notifications",
		"reports",
		"statuses",
	].map((s) => `write:${s}`),
	...[
		"accounts",
		"reports",
		"domain_allows",
		"domain_blocks",
		"ip_blocks",
		"email_domain_blocks",
		"canonical_email_blocks",
	].flatMap((s) => [`admin:read:${s}`, `admin:write:${s}`]),
]);

/** The legacy `follow` scope stands for these, as in Mastodon. */
const FOLLOW_SCOPE_MEMBERS = new Set([
	"read:blocks",
	"write:blocks",
	"read:follows",
	"write:follows",
	"read:mutes",
	"write:mutes",
]);

export function parseScopes(text: string | undefined | null): string[] {
	return (text ?? "").split(/[\s+]+/).filter(Boolean);
}

/** Scopes in `requested` that Tern does not know. */
export function unknownScopes(requested: string[]): string[] {
	return requested.filter((scope) => !KNOWN_SCOPES.has(scope));
}

/** Whether `granted` covers `required`: directly, through its parent (`read` for `read:x`), or through `follow`. */
export function scopeCovers(granted: readonly string[], required: string): boolean {
	if (granted.includes(required)) return true;
	const parts = required.split(":");
	for (let i = parts.length - 1; i > 0; i--) {
		if (granted.includes(parts.slice(0, i).join(":"))) return true;
	}
	return FOLLOW_SCOPE_MEMBERS.has(required) && granted.includes("follow");
}

export function anyScopeCovers(granted: readonly string[], required: readonly string[]): boolean {
	return required.some((scope) => scopeCovers(granted, scope));
}
