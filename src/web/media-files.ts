import type { AppContext, AppRequest } from "../http/context";
import { notFound } from "../http/errors";
import type { AppRouter } from "../http/router";

const KEY_PATTERN = /^[a-z]+\/[0-9]+\/[A-Za-z0-9_.-]+$/;

/**
 * Serves stored files (uploads, avatars, headers, emojis) from R2. Keys hold a
 * fresh id, so a file at a key never changes and can be cached for a year.
 */
async function serveMedia(request: AppRequest, ctx: AppContext): Promise<Response> {
	const key = decodeURIComponent(new URL(request.url).pathname.slice("/media/".length));
	if (!KEY_PATTERN.test(key)) throw notFound();
	const object = await ctx.env.MEDIA.get(key, {
		onlyIf: request.headers,
		range: request.headers.has("Range") ? request.headers : undefined,
	});
	if (!object) throw notFound();
	const headers = new Headers();
	object.writeHttpMetadata(headers);
	headers.set("ETag", object.httpEtag);
	headers.set("Cache-Control", "public, max-age=31536000, immutable");
	headers.set("Accept-Ranges", "bytes");
	headers.set("X-Content-Type-Options", "nosniff");
	headers.set("Content-Security-Policy", "default-src 'none'; sandbox");
	headers.set("Access-Control-Allow-Origin", "*");
	if (!("body" in object)) return new Response(null, { status: 304, headers });
	const range = object.range as { offset?: number; length?: number } | undefined;
	if (range && request.headers.has("Range")) {
		const offset = range.offset ?? 0;
		const length = range.length ?? object.size - offset;
		headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${object.size}`);
		return new Response(object.body, { status: 206, headers });
	}
	headers.set("Content-Length", String(object.size));
	return new Response(object.body, { headers });
}

export function mediaFileRoutes(router: AppRouter): void {
	router.get("/media/*", serveMedia);
}
