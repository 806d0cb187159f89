import type { InstanceConfig } from "../../config";
import type { MediaAttachment } from "../../db/schema";
import type { MastodonMediaAttachment } from "./entities";

/** Public URL of a file kept in the media bucket. */
export function mediaFileUrl(config: InstanceConfig, key: string): string {
	return `${config.origin}/media/${key}`;
}

function meta(media: MediaAttachment): Record<string, unknown> | null {
	const result: Record<string, unknown> = {};
	if (media.width && media.height) {
		result.original = {
			width: media.width,
			height: media.height,
			size: `${media.width}x${media.height}`,
			aspect: media.width / media.height,
		};
	}
	if (media.focusX !== null && media.focusY !== null) result.focus = { x: media.focusX, y: media.focusY };
	return Object.keys(result).length > 0 ? result : null;
}

export function serializeMediaAttachment(media: MediaAttachment, config: InstanceConfig): MastodonMediaAttachment {
	const url = media.fileKey ? mediaFileUrl(config, media.fileKey) : media.remoteUrl;
	const preview = media.thumbnailKey ? mediaFileUrl(config, media.thumbnailKey) : url;
	return {
		id: media.id,
		type: media.type,
		url,
		preview_url: preview,
		remote_url: media.fileKey ? null : media.remoteUrl,
		meta: meta(media),
		description: media.description,
		blurhash: media.blurhash,
	};
}
