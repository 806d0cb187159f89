import { badRequest } from "../../http/errors";
import type { AppRouter } from "../../http/router";
import { escapeHtml } from "../../lib/text/html";

/**
 * Target of the WebFinger subscribe template ("remote follow"). Tern has no
 * web client, so the page tells the person where to finish: their app's
 * search, which resolves the URI (/api/v2/search?resolve=true).
 */
export function authorizeInteractionRoutes(router: AppRouter): void {
	router.get("/authorize_interaction", (request, ctx) => {
		const uri = new URL(request.url).searchParams.get("uri")?.trim();
		if (!uri) throw badRequest("The uri parameter is required");
		const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Interact with a post or account - ${escapeHtml(ctx.config.title)}</title>
<meta name="robots" content="noindex"></head>
<body><main>
<h1>Open it in your app</h1>
<p>To follow or reply to <code>${escapeHtml(uri)}</code>, open the Mastodon app you use with ${escapeHtml(ctx.config.domain)}, paste this address into its search, and act on the result.</p>
</main></body>
</html>
`;
		return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
	});
}
