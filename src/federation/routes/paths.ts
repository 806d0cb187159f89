/**
 * Paths other servers use to find and talk to this one: discovery, actors,
 * inboxes, collections, post documents and profile pages. The HTTP layer
 * refuses them all while the instance's domain is a placeholder.
 */
const FEDERATION_PREFIXES = [
	"/.well-known/webfinger",
	"/.well-known/host-meta",
	"/.well-known/nodeinfo",
	"/nodeinfo/",
	"/users/",
	"/@",
	"/actor",
	"/inbox",
	"/authorize_interaction",
];

export function isFederationPath(pathname: string): boolean {
	return FEDERATION_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(prefix));
}
