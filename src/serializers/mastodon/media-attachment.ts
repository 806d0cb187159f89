import type { InstanceConfig } from "../../config";
import type { MediaAttachment } from "../../db/schema";
import { smallSize } from "../../lib/images/small-version";
import type { MastodonMediaAttachment, MastodonMetaDetails } from "./entities";

/** Public URL of a file kept in the media bucket (served by GET /media/<key>). */
export function mediaFileUrl(config: InstanceConfig, key: string): string {
	return `${config.origin}/media/${key}`;
}

function dimensions(width: number | null, height: number | null): MastodonMetaDetails | undefined {
	if (!width || !height) return undefined;
	return { width, height, size: `${width}x${height}`, aspect: width / height };
}

/**
 * The one MediaAttachment serializer, for uploads and for attachments of
 * statuses alike. An image's preview is its stored small version, or the
 * image itself when it is small already (or its small version would not have
 * been smaller); audio and video get none rather than a link to the video as
 * a "picture". While an upload is still processing it has no url yet, as in
 * Mastodon, which is what clients poll for.
 */
export function serializeMediaAttachment(media: MediaAttachment, config: InstanceConfig): MastodonMediaAttachment {
	const url = media.processing ? null : media.fileKey ? mediaFileUrl(config, media.fileKey) : media.remoteUrl;
	const preview = media.thumbnailKey
		? mediaFileUrl(config, media.thumbnailKey)
		: media.type === "image" || media.type === "gifv"
			? url
			: null;
	const original = dimensions(media.width, media.height);
	const meta: NonNullable<MastodonMediaAttachment["meta"]> = {};
	if (original) {
		meta.original = original;
		if (media.thumbnailKey && media.width && media.height) {
			const small = smallSize({ width: media.width, height: media.height });
			meta.small = dimensions(small.width, small.height);
		} else if (!media.processing) {
			meta.small = original;
		}
	}
	if (media.focusX !== null && media.focusY !== null) meta.focus = { x: media.focusX, y: media.focusY };
	return {
		id: media.id,
		type: media.type,
		url,
		preview_url: preview,
		remote_url: media.fileKey ? null : media.remoteUrl,
		meta: Object.keys(meta).length > 0 ? meta : null,
		description: media.description,
		blurhash: media.blurhash,
	};
}
