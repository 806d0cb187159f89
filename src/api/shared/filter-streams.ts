import { authenticate } from "../../http/auth";
import type { Handler } from "../../http/context";
import { streamViewerChanged } from "../../services/streaming/publish";

/**
 * Wraps a handler that changes filters: once it succeeds, the member's open
 * streams are told (`filters_changed`, as Mastodon sends it) and their
 * objects forget the filters they applied.
 */
export function announcingFilterChanges(handler: Handler): Handler {
	return async (request, ctx) => {
		const response = await handler(request, ctx);
		const auth = await authenticate(request, ctx);
		if (response.ok && auth?.account) await streamViewerChanged(ctx, [auth.account.id], { filters: true });
		return response;
	};
}
