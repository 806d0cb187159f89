import { payloadTooLarge } from "./errors";

export const MiB = 1024 * 1024;

/** Limits on request bodies, by kind. Media uploads pass their own, larger limit. */
export const BODY_LIMITS = {
	/** JSON and url-encoded forms: far above any status or profile update. */
	form: 1 * MiB,
	/** Multipart without a media file of its own limit (e.g. avatar and header). */
	multipart: 16 * MiB,
} as const;

/**
 * Reads a body, refusing it once it passes `maxBytes` (whether or not
 * Content-Length was declared honestly) so a large body is never buffered whole.
 */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
	const declared = Number(request.headers.get("Content-Length") ?? "NaN");
	if (Number.isFinite(declared) && declared > maxBytes) throw payloadTooLarge();
	if (!request.body) return new Uint8Array(0);
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel();
			throw payloadTooLarge();
		}
		chunks.push(value);
	}
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}
