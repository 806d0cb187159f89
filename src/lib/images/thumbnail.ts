import { encode as encodePng } from "fast-png";
import { downscale, fitArea, hasTransparency, type Pixels, type Size } from "./pixels";

/** Mastodon's "small" version: at most 640×360 worth of pixels, same aspect. */
export const SMALL_PIXELS = 230_400;

export function smallSize(original: Size): Size {
	return fitArea(original, SMALL_PIXELS);
}

/** Whether an image is big enough to be worth a separate small version. */
export function needsSmallVersion(original: Size): boolean {
	return original.width * original.height > SMALL_PIXELS;
}

export interface Thumbnail extends Size {
	bytes: Uint8Array;
	contentType: "image/png";
	extension: "png";
	/** The downscaled pixels, for anything else derived from the image (its blurhash). */
	pixels: Pixels;
}

/**
 * The small version as a PNG: no JPEG encoder runs in a Worker without
 * Node's Buffer, and PNG keeps transparency. Opaque images drop the alpha
 * channel, a quarter of the data.
 */
export function makeThumbnail(pixels: Pixels): Thumbnail {
	const small = downscale(pixels, smallSize(pixels));
	let data: Uint8Array = small.data instanceof Uint8Array ? small.data : new Uint8Array(small.data.buffer);
	let channels = 4;
	if (!hasTransparency(small)) {
		channels = 3;
		const rgb = new Uint8Array(small.width * small.height * 3);
		for (let p = 0, s = 0; s < data.length; s += 4, p += 3) {
			rgb[p] = data[s] as number;
			rgb[p + 1] = data[s + 1] as number;
			rgb[p + 2] = data[s + 2] as number;
		}
		data = rgb;
	}
	const bytes = encodePng({ width: small.width, height: small.height, data, channels, depth: 8 });
	return { width: small.width, height: small.height, bytes, contentType: "image/png", extension: "png", pixels: small };
}
