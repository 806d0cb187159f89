import { ValidationError } from "../../lib/errors";
import { type ImageSize, imageSize, type ProbedImageType, sniffImageType } from "../../lib/image-probe";

const EXTENSIONS: Record<ProbedImageType, string> = {
	"image/png": "png",
	"image/jpeg": "jpg",
	"image/gif": "gif",
	"image/webp": "webp",
};

export interface CheckedImage {
	bytes: Uint8Array;
	contentType: ProbedImageType;
	extension: string;
	size: ImageSize | undefined;
}

/**
 * An uploaded image as it really is: its type comes from its bytes, not from
 * what the client claimed, so nothing else (HTML, SVG) is ever stored as one.
 */
export async function checkImage(file: File, field: string, maxBytes: number): Promise<CheckedImage> {
	if (file.size > maxBytes) {
		throw new ValidationError(field, `File is too large (maximum is ${Math.floor(maxBytes / 1024 / 1024)} MB)`);
	}
	const bytes = new Uint8Array(await file.arrayBuffer());
	const contentType = sniffImageType(bytes);
	if (!contentType) throw new ValidationError(field, "File is not a PNG, JPEG, GIF or WebP image");
	return { bytes, contentType, extension: EXTENSIONS[contentType], size: imageSize(bytes, contentType) };
}

/** Stores a file under a key that is never reused, so it can be cached forever. */
export async function putMediaFile(bucket: R2Bucket, key: string, bytes: Uint8Array, contentType: string) {
	await bucket.put(key, bytes, {
		httpMetadata: { contentType, cacheControl: "public, max-age=31536000, immutable" },
	});
}

export function mediaFileUrl(origin: string, key: string): string {
	return `${origin}/media/${key}`;
}
