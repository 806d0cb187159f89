import { encode as encodeHash } from "blurhash";
import { encode as encodePng } from "fast-png";
import { describe, expect, it } from "vitest";
import { BLURHASH_COMPONENTS, blurhashOf, pngPixels } from "./blurhash";
import { fitArea, fitLongSide } from "./pixels";
import { HASH_THUMBNAIL_SIDE, hashThumbnailSize, SMALL_PIXELS, smallFormat, smallSize } from "./small-version";

type Rgb = [number, number, number];

/** RGBA pixels where each pixel's colour comes from `colourAt`. */
function paint(width: number, height: number, colourAt: (x: number, y: number) => Rgb): Uint8ClampedArray {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) data.set([...colourAt(x, y), 255], (y * width + x) * 4);
	}
	return data;
}

const RED: Rgb = [220, 30, 40];
const BLUE: Rgb = [20, 60, 200];
const halves = (width: number) => (x: number) => (x < width / 2 ? RED : BLUE);

const BASE83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

/** The average colour a hash encodes: its DC component, characters 2–5, as sRGB. */
function averageColour(hash: string): number[] {
	const value = [...hash.slice(2, 6)].reduce((n, c) => n * 83 + BASE83.indexOf(c), 0);
	return [value >> 16, (value >> 8) & 255, value & 255];
}

describe("blurhash of an upload's thumbnail", () => {
	it("is the library's hash of the thumbnail's pixels, with Mastodon's 4×4 components", () => {
		const png = encodePng({ width: 32, height: 16, data: paint(32, 16, halves(32)), channels: 4, depth: 8 });
		const hash = blurhashOf(pngPixels(png));
		expect(hash).toBe(encodeHash(paint(32, 16, halves(32)), 32, 16, BLURHASH_COMPONENTS.x, BLURHASH_COMPONENTS.y));
		// 1 size + 1 maximum + 4 average + 15 × 2 characters.
		expect(hash).toHaveLength(36);
	});

	it("equals the reference encoder's hash on images of every shape and content", () => {
		for (let t = 0; t < 60; t++) {
			const width = 1 + ((t * 7) % 33);
			const height = 1 + ((t * 11) % 29);
			const data = new Uint8ClampedArray(width * height * 4);
			crypto.getRandomValues(new Uint8Array(data.buffer));
			if (t % 3 === 0) for (let i = 0; i < data.length; i++) data[i] = (i * 13 + t) & 255;
			expect(blurhashOf({ width, height, data })).toBe(
				encodeHash(data, width, height, BLURHASH_COMPONENTS.x, BLURHASH_COMPONENTS.y),
			);
		}
	});

	it("reads RGB, grey and grey-with-alpha thumbnails as RGBA", () => {
		const rgb = new Uint8Array(4 * 4 * 3);
		for (let i = 0; i < rgb.length; i += 3) rgb.set(RED, i);
		expect(
			averageColour(blurhashOf(pngPixels(encodePng({ width: 4, height: 4, data: rgb, channels: 3, depth: 8 })))),
		).toEqual(RED);
		const grey = pngPixels(
			encodePng({ width: 2, height: 2, data: new Uint8Array(4).fill(128), channels: 1, depth: 8 }),
		);
		expect([...grey.data.subarray(0, 4)]).toEqual([128, 128, 128, 255]);
		const greyAlpha = pngPixels(
			encodePng({ width: 1, height: 1, data: new Uint8Array([90, 10]), channels: 2, depth: 8 }),
		);
		expect([...greyAlpha.data]).toEqual([90, 90, 90, 10]);
	});

	it("refuses what is not an 8-bit PNG", () => {
		expect(() => pngPixels(new Uint8Array(30))).toThrow();
		const deep = encodePng({ width: 1, height: 1, data: new Uint16Array(3), channels: 3, depth: 16 });
		expect(() => pngPixels(deep)).toThrow(/16-bit/);
	});
});

describe("sizes asked of Cloudflare Images", () => {
	it("fits Mastodon's small size by area and the hash thumbnail by its long side, never growing", () => {
		expect(fitArea({ width: 1920, height: 1080 }, SMALL_PIXELS)).toEqual({ width: 640, height: 360 });
		expect(smallSize({ width: 1000, height: 600 })).toEqual({ width: 619, height: 371 });
		expect(smallSize({ width: 300, height: 200 })).toEqual({ width: 300, height: 200 });
		expect(fitLongSide({ width: 4000, height: 3000 }, 64)).toEqual({ width: 64, height: 48 });
		expect(hashThumbnailSize({ width: 10, height: 3000 })).toEqual({ width: 1, height: HASH_THUMBNAIL_SIDE });
		expect(hashThumbnailSize({ width: 3, height: 2 })).toEqual({ width: 3, height: 2 });
	});

	it("keeps photos lossy and lossless images lossless", () => {
		expect(smallFormat("image/jpeg").contentType).toBe("image/jpeg");
		expect(smallFormat("image/webp").contentType).toBe("image/webp");
		expect(smallFormat("image/png").contentType).toBe("image/png");
		expect(smallFormat("image/gif")).toEqual({ contentType: "image/png", extension: "png" });
	});
});
