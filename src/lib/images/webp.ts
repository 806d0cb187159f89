import WEBP_DECODER from "@jsquash/webp/codec/dec/webp_dec.wasm";
import decodeWebpImage, { init } from "@jsquash/webp/decode";
import type { Pixels } from "./pixels";

/**
 * libwebp's decoder compiled to WebAssembly. A Worker cannot fetch or compile
 * WebAssembly at run time, so the module is bundled and handed over compiled
 * (the package's documented way for Workers; its typings only know the
 * options form of `init`).
 */
let ready: Promise<void> | undefined;

export async function webpPixels(bytes: Uint8Array): Promise<Pixels> {
	ready ??= (init as unknown as (module: WebAssembly.Module) => Promise<void>)(WEBP_DECODER);
	await ready;
	const copy = bytes.slice().buffer;
	const image: Pixels = await decodeWebpImage(copy);
	return { width: image.width, height: image.height, data: image.data };
}
