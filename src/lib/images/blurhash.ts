import { encode } from "blurhash";
import { downscale, fitLongSide, type Pixels } from "./pixels";

/** Mastodon hashes every attachment with 4×4 components, whatever its aspect. */
export const BLURHASH_COMPONENTS = { x: 4, y: 4 } as const;

/**
 * The hash only keeps 16 colour waves, so a few thousand averaged pixels give
 * the same result as millions, at a tiny fraction of the cost.
 */
const GRID_SIDE = 64;

export function blurhashOf(pixels: Pixels): string {
	const grid = downscale(pixels, fitLongSide(pixels, GRID_SIDE));
	const { data: bytes } = grid;
	const data =
		bytes instanceof Uint8ClampedArray
			? bytes
			: new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	return encode(data, grid.width, grid.height, BLURHASH_COMPONENTS.x, BLURHASH_COMPONENTS.y);
}
