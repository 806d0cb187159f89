import WEBP_ENCODER from "@jsquash/webp/codec/enc/webp_enc_simd.wasm";
import encodeWebp, { init } from "@jsquash/webp/encode";
import { encode as encodeHash } from "blurhash";
import { encode as encodePng } from "fast-png";
import { encode as encodeJpeg } from "jpeg-js";
import { GifWriter } from "omggif";
import { describe, expect, it } from "vitest";
import { BLURHASH_COMPONENTS, blurhashOf } from "./blurhash";
import { decodePixels } from "./decode";
import { downscale, fitArea, fitLongSide } from "./pixels";
import { makeThumbnail, SMALL_PIXELS } from "./thumbnail";

type Rgb = [number, number, number];

/** The encoder (tests only) takes its compiled module like the decoder does; its typings lag behind. */
const initWebpEncoder = init as unknown as (module: WebAssembly.Module) => Promise<unknown>;

/** RGBA pixels where each pixel's colour comes from `colourAt`. */
function paint(width: number, height: number, colourAt: (x: number, y: number) => Rgb): Uint8ClampedArray {
	const data = new Uint8ClampedArray(width * height * 4);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			data.set([...colourAt(x, y), 255], (y * width + x) * 4);
		}
	}
	return data;
}

const RED: Rgb = [220, 30, 40];
const BLUE: Rgb = [20, 60, 200];
const halves = (width: number) => (x: number) => (x < width / 2 ? RED : BLUE);

/** The library's own hash of the same picture, with Mastodon's component counts. */
function expectedHash(width: number, height: number, colourAt: (x: number, y: number) => Rgb): string {
	return encodeHash(paint(width, height, colourAt), width, height, BLURHASH_COMPONENTS.x, BLURHASH_COMPONENTS.y);
}

const BASE83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

/** The average colour a hash encodes: its DC component, characters 2–5, as sRGB. */
function averageColour(hash: string): number[] {
	const value = [...hash.slice(2, 6)].reduce((n, c) => n * 83 + BASE83.indexOf(c), 0);
	return [value >> 16, (value >> 8) & 255, value & 255];
}

describe("blurhash of uploaded images", () => {
	it("gives a solid PNG the library's hash for that colour", async () => {
		const png = encodePng({ width: 40, height: 30, data: paint(40, 30, () => RED), channels: 4, depth: 8 });
		const hash = blurhashOf(await decodePixels(png, "image/png"));
		expect(hash).toBe(expectedHash(40, 30, () => RED));
		// 4×4 components: 1 size + 1 maximum + 4 average + 15 × 2 characters.
		expect(hash).toHaveLength(36);
		expect(averageColour(hash)).toEqual(RED);
	});

	it("hashes a large two-colour PNG as the library hashes its averaged 64-pixel grid", async () => {
		const png = encodePng({ width: 256, height: 128, data: paint(256, 128, halves(256)), channels: 4, depth: 8 });
		const hash = blurhashOf(await decodePixels(png, "image/png"));
		expect(hash).toBe(expectedHash(64, 32, halves(64)));
		// And the grid changes nothing a viewer could see: same average as hashing every pixel.
		expect(averageColour(hash)).toEqual(averageColour(expectedHash(256, 128, halves(256))));
	});

	it("reads grey and 16-bit PNGs", async () => {
		const grey = encodePng({ width: 4, height: 4, data: new Uint8Array(16).fill(128), channels: 1, depth: 8 });
		expect(blurhashOf(await decodePixels(grey, "image/png"))).toBe(expectedHash(4, 4, () => [128, 128, 128]));
		const deep = new Uint16Array(4 * 4 * 3);
		for (let i = 0; i < deep.length; i += 3) deep.set([RED[0] * 257, RED[1] * 257, RED[2] * 257], i);
		const png16 = encodePng({ width: 4, height: 4, data: deep, channels: 3, depth: 16 });
		expect(blurhashOf(await decodePixels(png16, "image/png"))).toBe(expectedHash(4, 4, () => RED));
	});

	it("decodes JPEG close to the colour it was saved with", async () => {
		const jpeg = encodeJpeg({ width: 64, height: 48, data: paint(64, 48, () => BLUE) }, 95).data;
		const pixels = await decodePixels(new Uint8Array(jpeg), "image/jpeg");
		expect([pixels.width, pixels.height]).toEqual([64, 48]);
		const average = averageColour(blurhashOf(pixels));
		average.forEach((channel, i) => {
			expect(Math.abs(channel - (BLUE[i] as number))).toBeLessThanOrEqual(4);
		});
	});

	it("uses only the first frame of an animated GIF", async () => {
		const buffer = new Uint8Array(1024);
		// A two-colour palette of RED and BLUE as 0xRRGGBB.
		const gif = new GifWriter(buffer, 8, 8, { palette: [0xdc1e28, 0x143cc8] });
		gif.addFrame(0, 0, 8, 8, new Array(64).fill(0), { delay: 10 });
		gif.addFrame(0, 0, 8, 8, new Array(64).fill(1), { delay: 10 });
		const bytes = buffer.subarray(0, gif.end());
		expect(blurhashOf(await decodePixels(bytes, "image/gif"))).toBe(expectedHash(8, 8, () => RED));
	});

	it("decodes WebP with the bundled libwebp", async () => {
		await initWebpEncoder(WEBP_ENCODER);
		const webp = new Uint8Array(
			await encodeWebp({ data: paint(48, 32, halves(48)), width: 48, height: 32 } as Parameters<typeof encodeWebp>[0], {
				lossless: 1,
			}),
		);
		const pixels = await decodePixels(webp, "image/webp");
		expect([pixels.width, pixels.height]).toEqual([48, 32]);
		expect(blurhashOf(pixels)).toBe(expectedHash(48, 32, halves(48)));
	});

	it("fails on files that only look like images", async () => {
		const png = encodePng({ width: 4, height: 4, data: new Uint8Array(64), channels: 4, depth: 8 });
		const broken = png.slice(0, 40);
		await expect(decodePixels(broken, "image/png")).rejects.toThrow();
		await expect(decodePixels(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2]), "image/jpeg")).rejects.toThrow();
		await expect(decodePixels(new Uint8Array(30), "image/webp")).rejects.toThrow();
	});
});

describe("downscaling", () => {
	it("averages each block of source pixels", async () => {
		const source = { width: 4, height: 2, data: paint(4, 2, (x) => (x % 2 === 0 ? [0, 0, 0] : [255, 255, 255])) };
		const out = downscale(source, { width: 2, height: 1 });
		expect([...out.data]).toEqual([128, 128, 128, 255, 128, 128, 128, 255]);
	});

	it("fits Mastodon's small size by area and the grid by its long side, never growing", async () => {
		expect(fitArea({ width: 1920, height: 1080 }, SMALL_PIXELS)).toEqual({ width: 640, height: 360 });
		expect(fitArea({ width: 300, height: 200 }, SMALL_PIXELS)).toEqual({ width: 300, height: 200 });
		expect(fitLongSide({ width: 4000, height: 3000 }, 64)).toEqual({ width: 64, height: 48 });
		expect(fitLongSide({ width: 10, height: 3000 }, 64)).toEqual({ width: 1, height: 64 });
	});

	it("makes a small PNG version within Mastodon's pixel budget", async () => {
		const pixels = { width: 1200, height: 800, data: paint(1200, 800, halves(1200)) };
		const thumbnail = makeThumbnail(pixels);
		expect(thumbnail.width * thumbnail.height).toBeLessThanOrEqual(SMALL_PIXELS);
		const decoded = await decodePixels(thumbnail.bytes, "image/png");
		expect([decoded.width, decoded.height]).toEqual([thumbnail.width, thumbnail.height]);
	});
});
