import { decode as decodePng } from "fast-png";
import type { Pixels } from "./pixels";

/** Mastodon hashes every attachment with 4×4 components, whatever its aspect. */
export const BLURHASH_COMPONENTS = { x: 4, y: 4 } as const;

const BASE83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

function base83(value: number, length: number): string {
	let out = "";
	for (let i = 1; i <= length; i++) out += BASE83[Math.floor(value / 83 ** (length - i)) % 83];
	return out;
}

/** sRGB byte to linear light, once per possible byte rather than once per pixel and component. */
const LINEAR = Float64Array.from({ length: 256 }, (_, byte) => {
	const v = byte / 255;
	return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});

function toSrgb(linear: number): number {
	const v = Math.max(0, Math.min(1, linear));
	return v <= 0.0031308 ? Math.trunc(v * 12.92 * 255 + 0.5) : Math.trunc((1.055 * v ** (1 / 2.4) - 0.055) * 255 + 0.5);
}

const signedPow = (value: number, exponent: number) => Math.sign(value) * Math.abs(value) ** exponent;

/**
 * The BlurHash (https://blurha.sh) of an image's pixels, as the reference
 * encoder computes it, with the per-pixel work done once: each pixel is
 * turned into linear light by table, and the cosines are tabled per column
 * and per row. The reference encoder raises every channel of every pixel to
 * a power again for each of the 16 components, which on a 32-pixel thumbnail
 * costs milliseconds; this costs a few hundredths.
 */
export function blurhashOf(pixels: Pixels): string {
	const { width, height, data } = pixels;
	const nx = BLURHASH_COMPONENTS.x;
	const ny = BLURHASH_COMPONENTS.y;
	const linear = new Float64Array(width * height * 3);
	for (let p = 0; p < width * height; p++) {
		linear[p * 3] = LINEAR[data[p * 4] as number] as number;
		linear[p * 3 + 1] = LINEAR[data[p * 4 + 1] as number] as number;
		linear[p * 3 + 2] = LINEAR[data[p * 4 + 2] as number] as number;
	}
	const cosX = new Float64Array(nx * width);
	for (let i = 0; i < nx; i++)
		for (let x = 0; x < width; x++) cosX[i * width + x] = Math.cos((Math.PI * i * x) / width);
	const cosY = new Float64Array(ny * height);
	for (let j = 0; j < ny; j++)
		for (let y = 0; y < height; y++) cosY[j * height + y] = Math.cos((Math.PI * j * y) / height);
	const factors: [number, number, number][] = [];
	for (let j = 0; j < ny; j++) {
		for (let i = 0; i < nx; i++) {
			let r = 0;
			let g = 0;
			let b = 0;
			for (let y = 0; y < height; y++) {
				const row = cosY[j * height + y] as number;
				for (let x = 0; x < width; x++) {
					const basis = (cosX[i * width + x] as number) * row;
					const o = (y * width + x) * 3;
					r += basis * (linear[o] as number);
					g += basis * (linear[o + 1] as number);
					b += basis * (linear[o + 2] as number);
				}
			}
			const scale = (i === 0 && j === 0 ? 1 : 2) / (width * height);
			factors.push([r * scale, g * scale, b * scale]);
		}
	}
	const [dc, ...ac] = factors as [[number, number, number], ...[number, number, number][]];
	let hash = base83(nx - 1 + (ny - 1) * 9, 1);
	let maximum = 1;
	if (ac.length > 0) {
		// The largest component value, signed as the reference JavaScript encoder takes it, so hashes match it exactly.
		const actualMaximum = Math.max(...ac.map((c) => Math.max(...c)));
		const quantised = Math.floor(Math.max(0, Math.min(82, Math.floor(actualMaximum * 166 - 0.5))));
		maximum = (quantised + 1) / 166;
		hash += base83(quantised, 1);
	} else {
		hash += base83(0, 1);
	}
	hash += base83((toSrgb(dc[0]) << 16) + (toSrgb(dc[1]) << 8) + toSrgb(dc[2]), 4);
	for (const [r, g, b] of ac) {
		const q = (v: number) => Math.floor(Math.max(0, Math.min(18, Math.floor(signedPow(v / maximum, 0.5) * 9 + 9.5))));
		hash += base83(q(r) * 19 * 19 + q(g) * 19 + q(b), 2);
	}
	return hash;
}

/**
 * The RGBA pixels of a small 8-bit PNG (the thumbnail Cloudflare Images makes
 * for the blurhash). Palette, grey and alpha-less images are expanded; other
 * bit depths are refused, since the thumbnail is never one of them.
 */
export function pngPixels(bytes: Uint8Array): Pixels {
	const png = decodePng(bytes);
	const { width, height, channels, palette, depth, data } = png;
	if (depth !== 8) throw new Error(`Unexpected ${depth}-bit thumbnail`);
	const out = new Uint8ClampedArray(width * height * 4);
	for (let p = 0; p < width * height; p++) {
		const s = p * channels;
		const o = p * 4;
		if (palette) {
			const colour = palette[data[s] as number] ?? [0, 0, 0];
			out[o] = colour[0] ?? 0;
			out[o + 1] = colour[1] ?? 0;
			out[o + 2] = colour[2] ?? 0;
			out[o + 3] = colour[3] ?? 255;
		} else if (channels <= 2) {
			const grey = data[s] as number;
			out[o] = grey;
			out[o + 1] = grey;
			out[o + 2] = grey;
			out[o + 3] = channels === 2 ? (data[s + 1] as number) : 255;
		} else {
			out[o] = data[s] as number;
			out[o + 1] = data[s + 1] as number;
			out[o + 2] = data[s + 2] as number;
			out[o + 3] = channels === 4 ? (data[s + 3] as number) : 255;
		}
	}
	return { width, height, data: out };
}
