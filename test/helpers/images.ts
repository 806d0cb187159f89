import { encode as encodePng } from "fast-png";

/** A real 3x2 RGB PNG, small enough to inline. */
export const PNG_3x2_BASE64 =
	"iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP4z8DAAMFwFgA72AX73hA3ZQAAAABJRU5ErkJggg==";

export function png3x2(): Uint8Array<ArrayBuffer> {
	return Uint8Array.from(atob(PNG_3x2_BASE64), (c) => c.charCodeAt(0));
}

export function pngFile(name = "image.png", type = "image/png"): File {
	return new File([png3x2()], name, { type });
}

/** An opaque PNG of random noise: big on disk, so its small version is worth storing. */
export function noisyPng(width: number, height: number): Uint8Array<ArrayBuffer> {
	const data = new Uint8Array(width * height * 3);
	// getRandomValues fills at most 64 KiB per call.
	for (let i = 0; i < data.length; i += 65_536) crypto.getRandomValues(data.subarray(i, i + 65_536));
	return new Uint8Array(encodePng({ width, height, data, channels: 3, depth: 8 }));
}

/**
 * A file whose signature and header say "PNG, width × height" (so it passes
 * the upload checks) but whose pixel data is garbage.
 */
export function corruptPng(width: number, height: number): Uint8Array<ArrayBuffer> {
	const header = encodePng({ width, height, data: new Uint8Array(width * height), channels: 1, depth: 8 }).subarray(
		0,
		33,
	);
	const garbage = new Uint8Array(64).map((_, i) => (i * 37) & 255);
	return new Uint8Array([...header, 0, 0, 0, 40, ...new TextEncoder().encode("IDAT"), ...garbage]);
}

export function fileOf(bytes: Uint8Array<ArrayBuffer>, name = "image.png", type = "image/png"): File {
	return new File([bytes], name, { type });
}
