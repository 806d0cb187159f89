import type { InstanceConfig } from "../../config";
import { featuredTagUrl } from "../mastodon/featured-tag";

export interface HashtagObject {
	type: "Hashtag";
	href: string;
	name: string;
}

/** A featured tag as a Hashtag object: it links to the owner's posts with the tag, as Mastodon's do. */
export function serializeFeaturedHashtag(
	featured: { name: string },
	tag: { name: string },
	owner: { username: string },
	config: InstanceConfig,
): HashtagObject {
	return { type: "Hashtag", href: featuredTagUrl(config, owner.username, tag.name), name: `#${featured.name}` };
}
