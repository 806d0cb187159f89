/** jpeg-js's decoder on its own, without the encoder its index also loads. */
declare module "jpeg-js/lib/decoder.js" {
	import type { decode } from "jpeg-js";

	const decodeJpeg: typeof decode;
	export default decodeJpeg;
}
