import { encode as encodeJpeg } from "jpeg-js";
import { json } from "../lib/http.mjs";

/** An 800×600 photo-like JPEG (a gradient with noise): under half a megapixel, so processed while the client waits. */
function photo() {
	const width = 800;
	const height = 600;
	const data = new Uint8Array(width * height * 4);
	let seed = 7;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			seed = (seed * 1103515245 + 12345) & 0x7fffffff;
			const noise = (seed >> 16) & 31;
			const o = (y * width + x) * 4;
			data[o] = (x * 255) / width + noise;
			data[o + 1] = (y * 255) / height + noise;
			data[o + 2] = 128 + noise;
			data[o + 3] = 255;
		}
	}
	return encodeJpeg({ width, height, data }, 88).data;
}

let body;
async function multipart() {
	if (!body) {
		const form = new FormData();
		form.set("file", new File([photo()], "photo.jpg", { type: "image/jpeg" }));
		form.set("description", "A benchmark photo");
		const response = new Response(form);
		body = { bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get("Content-Type") };
	}
	return body;
}

/** POST /api/v2/media with a photo: R2 writes and two Cloudflare Images transformations (the small version, the blurhash's thumbnail). */
export const mediaUpload = {
	name: "media-upload",
	title: "POST /api/v2/media (800×600 JPEG)",
	kind: "write",
	request: async (ctx) => {
		const { bytes, type } = await multipart();
		return {
			method: "POST",
			path: "/api/v2/media",
			headers: { Authorization: `Bearer ${ctx.data.hub.token}`, "Content-Type": type },
			body: bytes,
		};
	},
	after(ctx, _i, response) {
		const media = json(response);
		if (media?.url) ctx.mediaPaths = [...(ctx.mediaPaths ?? []), new URL(media.url).pathname].slice(-50);
	},
	expect: [200],
};

/** GET of a stored file (an avatar or an attachment an app has not cached): a Worker request and an R2 read. */
export const mediaGet = {
	name: "media-get",
	title: "GET /media/… (an uploaded photo)",
	kind: "read",
	prepare: (ctx) => (ctx.mediaPaths?.length ? null : "no upload to fetch (media-upload did not run)"),
	request: (ctx, i) => ({ path: ctx.mediaPaths[i % ctx.mediaPaths.length] }),
	expect: [200],
};
