import type { InstanceConfig } from "../../config";
import type { FeaturedTag } from "../../db/schema";
import type { MastodonFeaturedTag } from "./announcement-entities";

/** Where the owner's posts with the tag are listed on this instance. */
export function featuredTagUrl(config: InstanceConfig, username: string, tagName: string): string {
	return `${config.origin}/@${username}/tagged/${encodeURIComponent(tagName)}`;
}

export function serializeFeaturedTag(
	featured: FeaturedTag,
	tag: { name: string },
	owner: { username: string },
	config: InstanceConfig,
): MastodonFeaturedTag {
	return {
		id: featured.id,
		name: featured.name,
		url: featuredTagUrl(config, owner.username, tag.name),
		statuses_count: String(featured.statusesCount),
		last_status_at: featured.lastStatusAt ? featured.lastStatusAt.toISOString().slice(0, 10) : null,
	};
}
