import type { InstanceConfig } from "../../config";
import type { MastodonStatusTag, MastodonTag } from "./entities";

export function tagUrl(config: InstanceConfig, name: string): string {
	return `${config.origin}/tags/${encodeURIComponent(name)}`;
}

/** A tag as listed in a status (name and link); the full Tag entity with history belongs to the tags API. */
export function serializeStatusTag(tag: { name: string }, config: InstanceConfig): MastodonStatusTag {
	return { name: tag.name, url: tagUrl(config, tag.name) };
}

/** The full Tag entity (`/api/v1/tags/:name`, followed tags, search). */
export function serializeTag(
	tag: { id: string; name: string; displayName: string },
	config: InstanceConfig,
	extras: { history?: { day: number; uses: number; accounts: number }[]; following?: boolean } = {},
): MastodonTag {
	return {
		id: tag.id,
		name: tag.displayName || tag.name,
		url: tagUrl(config, tag.name),
		history: (extras.history ?? []).map((h) => ({
			day: String(h.day),
			uses: String(h.uses),
			accounts: String(h.accounts),
		})),
		...(extras.following === undefined ? {} : { following: extras.following }),
	};
}
