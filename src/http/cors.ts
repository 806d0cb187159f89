/**
 * CORS for the paths browsers' Mastodon clients call from other origins (the
 * client API, OAuth token endpoints, discovery documents). Bearer tokens, not
 * cookies, authenticate those calls, so any origin may make them.
 */
const CORS_PATHS = [/^\/api\//, /^\/oauth\/(token|revoke|userinfo)$/, /^\/\.well-known\//, /^\/nodeinfo\//];

const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Accept, Accept-Language";
const EXPOSED_HEADERS =
	"Link, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-Id, Idempotency-Key";

export function isCorsPath(pathname: string): boolean {
	return CORS_PATHS.some((pattern) => pattern.test(pathname));
}

/** Answers a preflight for a CORS path; undefined for anything else. */
export function preflight(request: Request): Response | undefined {
	if (request.method !== "OPTIONS") return undefined;
	if (!isCorsPath(new URL(request.url).pathname)) return undefined;
	return new Response(null, {
		status: 204,
		headers: {
			"Access-Control-Allow-Origin": "*",
			"Access-Control-Allow-Methods": ALLOWED_METHODS,
			"Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers") || ALLOWED_HEADERS,
			"Access-Control-Max-Age": "86400",
			Vary: "Access-Control-Request-Headers",
		},
	});
}

export function withCors(request: Request, response: Response): Response {
	if (!isCorsPath(new URL(request.url).pathname)) return response;
	// Responses from fetch() or caches have immutable headers.
	const copy = new Response(response.body, response);
	copy.headers.set("Access-Control-Allow-Origin", "*");
	copy.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
	return copy;
}
