import { instanceConfig } from "../../config";
import type { AppContext, AppRequest } from "../../http/context";
import { type PageScope, readPageVersions } from "../../services/instance/page-versions";
import { envWithSettings, type InstanceSettings, refreshInstanceSettings } from "../../services/instance/settings";

/** A request's context with the instance settings as they are now. */
export interface FreshContext extends AppContext {
	settings: InstanceSettings;
}

/** How long an edge copy may live at most; a change of its counters replaces it sooner. */
const EDGE_TTL_SECONDS = 600;
/** What browsers are told: keep it, but ask again (a 304 when nothing changed). */
const BROWSER_CACHE_CONTROL = "public, max-age=0, must-revalidate";

/**
 * Serves a public page through the Workers Cache API. The page's counters
 * (`page_versions`, raised by triggers whenever content behind it changes)
 * are read first, one small query, and are part of the cache key and the
 * ETag: a hit costs that query and nothing else, a changed page misses
 * everywhere at once, and a browser holding the current copy gets a 304.
 * Only pages that are the same for every visitor come through here.
 */
export async function cachedPage(
	request: AppRequest,
	ctx: AppContext,
	scopes: readonly PageScope[],
	render: (fresh: FreshContext) => Promise<Response>,
): Promise<Response> {
	const versions = await readPageVersions(ctx.db, ["settings", ...scopes]);
	const etag = `W/"${versions}"`;
	if (request.headers.get("If-None-Match") === etag) {
		return new Response(null, { status: 304, headers: { ETag: etag, "Cache-Control": BROWSER_CACHE_CONTROL } });
	}
	const url = new URL(request.url);
	url.searchParams.set("tern-page-version", versions);
	const key = new Request(url.toString(), { method: "GET" });
	const cache = await caches.open("tern-pages");
	const hit = await cache.match(key);
	if (hit) return forBrowser(hit, etag, "HIT");
	// The isolate's copy of the settings may be up to 30 s old; a copy stored
	// under the new counters must show the new settings, so they are read now.
	const settings = await refreshInstanceSettings(ctx.env, ctx.db);
	const env = envWithSettings(ctx.env, settings);
	const response = await render({ ...ctx, env, config: instanceConfig(env), settings });
	if (response.status !== 200) return response;
	const stored = new Response(response.clone().body, response);
	stored.headers.set("Cache-Control", `public, max-age=${EDGE_TTL_SECONDS}`);
	stored.headers.delete("Set-Cookie");
	ctx.exec.waitUntil(cache.put(key, stored).catch(() => undefined));
	return forBrowser(response, etag, "MISS");
}

function forBrowser(response: Response, etag: string, status: "HIT" | "MISS"): Response {
	const out = new Response(response.body, response);
	out.headers.set("ETag", etag);
	out.headers.set("Cache-Control", BROWSER_CACHE_CONTROL);
	out.headers.set("X-Tern-Cache", status);
	// Profiles and posts share their address with their ActivityPub documents.
	out.headers.set("Vary", "Accept");
	return out;
}
