import type { InstanceConfig } from "../../config";
import type { MastodonStatusTag } from "./entities";

export function tagUrl(config: InstanceConfig, name: string): string {
	return `${config.origin}/tags/${encodeURIComponent(name)}`;
}

/** A tag as listed in a status (name and link); the full Tag entity with history belongs to the tags API. */
export function serializeStatusTag(tag: { name: string }, config: InstanceConfig): MastodonStatusTag {
	return { name: tag.name, url: tagUrl(config, tag.name) };
}
