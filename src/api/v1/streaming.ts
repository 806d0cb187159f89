import { requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { ApiError, notFound } from "../../http/errors";
import type { AppRouter } from "../../http/router";
import { StreamError, type Subscription, streamNameFromPath } from "../../services/streaming/streams";
import { authorizeSubscription } from "../../services/streaming/subscriptions";
import { withHandshake } from "../../streaming/handshake";

/**
 * Mastodon's streaming API, served by the Worker itself: a multiplexed
 * WebSocket at /api/v1/streaming and one Server-Sent Events stream per path
 * below it. The Worker checks the token and the first subscription, then
 * hands the connection to the account's streaming object
 * (src/streaming/account-stream.ts), which keeps it and receives the events.
 */
export function streamingRoutes(router: AppRouter): void {
	router.get("/api/v1/streaming/health", () => new Response("OK", { headers: { "Content-Type": "text/plain" } }));
	router.get("/api/v1/streaming", (request, ctx) => {
		// Without an upgrade this is the discovery request: the stream is served on this same host.
		if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") throw notFound("Not found");
		return connect(request, ctx, null);
	});
	for (const path of [
		"user",
		"user/notification",
		"public",
		"public/local",
		"public/remote",
		"hashtag",
		"hashtag/local",
		"list",
		"direct",
	]) {
		router.get(`/api/v1/streaming/${path}`, (request, ctx) => connect(request, ctx, streamNameFromPath(path) ?? null));
	}
}

/**
 * The token, as Mastodon's streaming server reads it: the Authorization
 * header, else the `access_token` query parameter, else the WebSocket
 * subprotocol (what browsers can send).
 */
function streamToken(request: Request): { token: string | null; protocol: string | null } {
	// A requested subprotocol must be answered whatever carried the token, or the client drops the connection.
	const protocol = request.headers.get("Sec-WebSocket-Protocol")?.split(",")[0]?.trim() || null;
	const authorization = request.headers.get("Authorization");
	if (authorization) return { token: authorization.replace(/^Bearer\s+/i, "").trim(), protocol };
	const query = new URL(request.url).searchParams.get("access_token");
	return { token: query || protocol, protocol };
}

async function connect(request: AppRequest, ctx: AppContext, pathStream: string | null): Promise<Response> {
	const { token, protocol } = streamToken(request);
	if (!token) throw new ApiError(401, "Missing access token");
	const authorized = new Request(request.url, { headers: { Authorization: `Bearer ${token}` } });
	const auth = await requireUser(authorized as AppRequest, ctx);
	const params = Object.fromEntries(new URL(request.url).searchParams);
	const websocket = pathStream === null;
	const subscriptions: Subscription[] = [];
	const name = websocket ? params.stream : pathStream;
	if (name !== undefined) {
		try {
			subscriptions.push(await authorizeSubscription(ctx.db, auth.account.id, auth.scopes, name, params));
		} catch (error) {
			if (!(error instanceof StreamError)) throw error;
			// An SSE stream that cannot be had is a 404 on Mastodon, its scopes a 401.
			if (websocket || error.status === 401) throw new ApiError(error.status, error.message);
			throw notFound("Not found");
		}
	}
	const stub = ctx.env.ACCOUNT_STREAMS.get(ctx.env.ACCOUNT_STREAMS.idFromName(auth.account.id));
	return stub.fetch(
		withHandshake(request, {
			accountId: auth.account.id,
			tokenId: auth.tokenId,
			scopes: auth.scopes,
			subscriptions,
			protocol,
		}),
	);
}
