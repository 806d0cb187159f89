import type { ProbedImageType } from "../image-probe";
import { fitArea, fitLongSide, type Size } from "./pixels";

/** Mastodon's "small" version: at most 640×360 worth of pixels, same aspect. */
export const SMALL_PIXELS = 230_400;

/**
 * The thumbnail a blurhash is computed from. The hash keeps only 16 colour
 * waves (4×4 components), so 32 pixels on the long side give what millions
 * would, and hashing them takes well under a millisecond.
 */
export const HASH_THUMBNAIL_SIDE = 32;

export function smallSize(original: Size): Size {
	return fitArea(original, SMALL_PIXELS);
}

/** Whether an image is big enough to be worth a separate small version. */
export function needsSmallVersion(original: Size): boolean {
	return original.width * original.height > SMALL_PIXELS;
}

export function hashThumbnailSize(original: Size): Size {
	return fitLongSide(original, HASH_THUMBNAIL_SIDE);
}

export interface SmallFormat {
	contentType: "image/jpeg" | "image/png" | "image/webp";
	extension: "jpg" | "png" | "webp";
}

/**
 * The small version keeps the original's kind: photos stay lossy (JPEG,
 * WebP), lossless originals (PNG, GIF's first frame) stay lossless and keep
 * their transparency.
 */
export function smallFormat(original: ProbedImageType): SmallFormat {
	switch (original) {
		case "image/jpeg":
			return { contentType: "image/jpeg", extension: "jpg" };
		case "image/webp":
			return { contentType: "image/webp", extension: "webp" };
		case "image/png":
		case "image/gif":
			return { contentType: "image/png", extension: "png" };
	}
}
