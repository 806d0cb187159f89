/**
 * Reads an image's type and size from its first bytes, without decoding any
 * pixels: cheap enough to run while answering the upload.
 */
export type ProbedImageType = "image/png" | "image/jpeg" | "image/gif" | "image/webp";

export interface ImageSize {
	width: number;
	height: number;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
	return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** The image type the bytes really are, whatever the upload claimed. */
export function sniffImageType(bytes: Uint8Array): ProbedImageType | undefined {
	if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === "PNG") return "image/png";
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
	if (bytes.length >= 6 && (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a")) return "image/gif";
	if (bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "image/webp";
	return undefined;
}

const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number) => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number) => ((u16be(b, i) << 16) >>> 0) + u16be(b, i + 2);

function jpegSize(b: Uint8Array): ImageSize | undefined {
	let i = 2;
	while (i + 9 < b.length) {
		if (b[i] !== 0xff) return undefined;
		const marker = b[i + 1] as number;
		if (marker === 0xff) {
			i++;
			continue;
		}
		// Start-of-frame markers (baseline, progressive, lossless...), not DHT/JPG/DAC.
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
		}
		if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
			i += 2;
			continue;
		}
		i += 2 + u16be(b, i + 2);
	}
	return undefined;
}

function webpSize(b: Uint8Array): ImageSize | undefined {
	const chunk = ascii(b, 12, 4);
	if (chunk === "VP8 " && b.length >= 30) return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
	if (chunk === "VP8L" && b.length >= 25) {
		const bits = (b[21] as number) | ((b[22] as number) << 8) | ((b[23] as number) << 16) | ((b[24] as number) << 24);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === "VP8X" && b.length >= 30) return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
	return undefined;
}

export function imageSize(bytes: Uint8Array, type: ProbedImageType): ImageSize | undefined {
	let size: ImageSize | undefined;
	if (type === "image/png" && bytes.length >= 24 && ascii(bytes, 12, 4) === "IHDR") {
		size = { width: u32be(bytes, 16), height: u32be(bytes, 20) };
	} else if (type === "image/gif" && bytes.length >= 10) {
		size = { width: u16le(bytes, 6), height: u16le(bytes, 8) };
	} else if (type === "image/jpeg") {
		size = jpegSize(bytes);
	} else if (type === "image/webp") {
		size = webpSize(bytes);
	}
	return size && size.width > 0 && size.height > 0 ? size : undefined;
}
