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
