import type { InstanceConfig } from "../../config";
import type { CustomEmoji } from "../../db/schema";
import type { MastodonCustomEmoji } from "./entities";

export function serializeCustomEmoji(emoji: CustomEmoji, config: InstanceConfig): MastodonCustomEmoji {
	const url = `${config.origin}/media/${emoji.fileKey}`;
	return {
		shortcode: emoji.shortcode,
		url,
		static_url: url,
		visible_in_picker: emoji.visibleInPicker,
		category: emoji.category,
	};
}
