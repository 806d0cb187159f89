/** Decoded pixels: 8-bit RGBA, row after row. */
export interface Pixels {
	width: number;
	height: number;
	data: Uint8Array | Uint8ClampedArray;
}

export interface Size {
	width: number;
	height: number;
}

/** The largest size with at most `maxPixels` pixels and the same aspect; never larger than the original. */
export function fitArea(size: Size, maxPixels: number): Size {
	const area = size.width * size.height;
	if (area <= maxPixels) return { width: size.width, height: size.height };
	const scale = Math.sqrt(maxPixels / area);
	return {
		width: Math.max(1, Math.floor(size.width * scale)),
		height: Math.max(1, Math.floor(size.height * scale)),
	};
}

/** The size whose longer side is at most `maxSide`, same aspect; never larger than the original. */
export function fitLongSide(size: Size, maxSide: number): Size {
	const long = Math.max(size.width, size.height);
	if (long <= maxSide) return { width: size.width, height: size.height };
	const scale = maxSide / long;
	return {
		width: Math.max(1, Math.round(size.width * scale)),
		height: Math.max(1, Math.round(size.height * scale)),
	};
}

/** For each source column (or row), the output column (or row) it falls in, and how many fall in each. */
function binning(sourceLength: number, targetLength: number): { bin: Uint32Array; count: Uint32Array } {
	const bin = new Uint32Array(sourceLength);
	const count = new Uint32Array(targetLength);
	for (let i = 0; i < sourceLength; i++) {
		const target = Math.min(targetLength - 1, Math.floor((i * targetLength) / sourceLength));
		bin[i] = target;
		count[target] = (count[target] ?? 0) + 1;
	}
	return { bin, count };
}

/**
 * Shrinks by averaging every source pixel into the output pixel whose area
 * it falls in (a box filter): one pass over the source, no aliasing of the
 * kind that skipping pixels gives, and cheap enough for camera-sized images.
 */
export function downscale(source: Pixels, target: Size): Pixels {
	const { width: sw, height: sh, data } = source;
	const tw = Math.min(target.width, sw);
	const th = Math.min(target.height, sh);
	if (tw === sw && th === sh) return source;
	const columns = binning(sw, tw);
	const rows = binning(sh, th);
	const sums = new Float64Array(tw * th * 4);
	for (let y = 0; y < sh; y++) {
		const rowBase = (rows.bin[y] as number) * tw;
		let s = y * sw * 4;
		for (let x = 0; x < sw; x++, s += 4) {
			const o = (rowBase + (columns.bin[x] as number)) * 4;
			sums[o] = (sums[o] as number) + (data[s] as number);
			sums[o + 1] = (sums[o + 1] as number) + (data[s + 1] as number);
			sums[o + 2] = (sums[o + 2] as number) + (data[s + 2] as number);
			sums[o + 3] = (sums[o + 3] as number) + (data[s + 3] as number);
		}
	}
	const out = new Uint8ClampedArray(tw * th * 4);
	for (let y = 0; y < th; y++) {
		for (let x = 0; x < tw; x++) {
			const n = (rows.count[y] as number) * (columns.count[x] as number);
			const o = (y * tw + x) * 4;
			for (let c = 0; c < 4; c++) out[o + c] = Math.round((sums[o + c] as number) / n);
		}
	}
	return { width: tw, height: th, data: out };
}

/** Whether any pixel is less than fully opaque. */
export function hasTransparency(pixels: Pixels): boolean {
	const { data } = pixels;
	for (let i = 3; i < data.length; i += 4) if ((data[i] as number) < 255) return true;
	return false;
}
