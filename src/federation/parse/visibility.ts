import type { Visibility } from "./types";
import { isPublicAddress } from "./values";

/**
 * Mastodon's reading of addressing: Public in `to` → public, in `cc` →
 * unlisted, the author's followers collection anywhere → private, otherwise
 * direct. Without the followers URL a `/followers` suffix is taken as it.
 */
export function visibilityFromAddressing(to: string[], cc: string[], followersUrl?: string | null): Visibility {
	if (to.some(isPublicAddress)) return "public";
	if (cc.some(isPublicAddress)) return "unlisted";
	const isFollowers = (address: string) =>
		followersUrl ? address === followersUrl : /\/followers$|\/followers\/?$/.test(address);
	if ([...to, ...cc].some(isFollowers)) return "private";
	return "direct";
}
