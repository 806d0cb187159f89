import { decode as decodePng } from "fast-png";
import decodeJpeg from "jpeg-js/lib/decoder.js";
import { GifReader } from "omggif";
import type { ProbedImageType } from "../image-probe";
import { MEDIA_LIMITS } from "../limits";
import type { Pixels } from "./pixels";
import { webpPixels } from "./webp";

/**
 * Images larger than this are not decoded at all. The JPEG decoder holds
 * every DCT coefficient as well as the RGBA result, about 16 bytes a pixel:
 * a 12 MP photo would need some 200 MB, and a Worker has 128 MB in all.
 */
export const MAX_DECODE_PIXELS = MEDIA_LIMITS.decodableImagePixels;

/** Every sample as 0–255, whatever the PNG's bit depth (1, 2, 4, 8 or 16) and packing. */
function pngSampleReader(png: ReturnType<typeof decodePng>): (index: number) => number {
	const { data, depth, width, channels } = png;
	if (depth === 16) return (i) => (data[i] as number) >> 8;
	if (depth === 8) return (i) => data[i] as number;
	// Sub-byte samples are packed, and every row starts on a byte boundary.
	const samplesPerRow = width * channels;
	const bytesPerRow = Math.ceil((samplesPerRow * depth) / 8);
	const max = (1 << depth) - 1;
	const scale = png.palette ? 1 : 255 / max;
	return (i) => {
		const row = Math.floor(i / samplesPerRow);
		const bit = (i % samplesPerRow) * depth;
		const byte = data[row * bytesPerRow + (bit >> 3)] as number;
		return Math.round(((byte >> (8 - depth - (bit & 7))) & max) * scale);
	};
}

function pngPixels(bytes: Uint8Array): Pixels {
	const png = decodePng(bytes);
	const { width, height, channels, palette } = png;
	const sample = pngSampleReader(png);
	const out = new Uint8ClampedArray(width * height * 4);
	for (let p = 0, s = 0; p < width * height; p++, s += channels) {
		const o = p * 4;
		if (palette) {
			const colour = palette[sample(s)] ?? [0, 0, 0];
			out[o] = colour[0] ?? 0;
			out[o + 1] = colour[1] ?? 0;
			out[o + 2] = colour[2] ?? 0;
			out[o + 3] = colour[3] ?? 255;
		} else if (channels <= 2) {
			const grey = sample(s);
			out[o] = grey;
			out[o + 1] = grey;
			out[o + 2] = grey;
			out[o + 3] = channels === 2 ? sample(s + 1) : 255;
		} else {
			out[o] = sample(s);
			out[o + 1] = sample(s + 1);
			out[o + 2] = sample(s + 2);
			out[o + 3] = channels === 4 ? sample(s + 3) : 255;
		}
	}
	return { width, height, data: out };
}

/** The first frame, drawn on the full canvas (transparent where the frame does not reach). */
function gifPixels(bytes: Uint8Array): Pixels {
	const reader = new GifReader(bytes);
	if (reader.numFrames() < 1) throw new Error("GIF has no frames");
	const data = new Uint8Array(reader.width * reader.height * 4);
	reader.decodeAndBlitFrameRGBA(0, data);
	return { width: reader.width, height: reader.height, data };
}

function jpegPixels(bytes: Uint8Array): Pixels {
	return decodeJpeg(bytes, {
		useTArray: true,
		formatAsRGBA: true,
		tolerantDecoding: true,
		maxResolutionInMP: MAX_DECODE_PIXELS / 1_000_000,
		// The largest image allowed needs about 80 MB; stop well before a Worker's memory runs out.
		maxMemoryUsageInMB: 96,
	});
}

/** The pixels of an image whose type was sniffed from its bytes. */
export async function decodePixels(bytes: Uint8Array, type: ProbedImageType): Promise<Pixels> {
	switch (type) {
		case "image/jpeg":
			return jpegPixels(bytes);
		case "image/png":
			return pngPixels(bytes);
		case "image/gif":
			return gifPixels(bytes);
		case "image/webp":
			return webpPixels(bytes);
	}
}
