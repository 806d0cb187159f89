import { remoteInteractionUrl } from "../../federation/remote-interaction";
import type { AppRouter } from "../../http/router";
import { html, type SafeHtml } from "../html";
import { messagePage } from "../pages";

/**
 * The "follow from your server" box: a plain GET form (no script) that asks
 * for the visitor's handle and sends them to their own server.
 */
export function followBox(uri: string, what: "account" | "post", domain: string): SafeHtml {
	return html`<form class="follow" method="get" action="/remote_interaction">
<input type="hidden" name="uri" value="${uri}">
<label for="remote-handle">${what === "account" ? "Follow from your server" : "Reply, boost or favourite from your server"}</label>
<input id="remote-handle" type="text" name="handle" placeholder="you@your.server" autocomplete="username" required>
<button type="submit">Continue</button>
<p class="muted">Or search for this ${what === "account" ? "account" : "post's address"} in the Mastodon-compatible app you use. With an account on ${domain}, open it in your app.</p>
</form>`;
}

export function remoteInteractionRoutes(router: AppRouter): void {
	router.get("/remote_interaction", async (request, ctx) => {
		const params = new URL(request.url).searchParams;
		const uri = params.get("uri")?.trim() ?? "";
		const handle = params.get("handle") ?? "";
		// Only this server's own accounts and posts are offered; anything else would make this an open redirector's helper.
		const refuse = (message: string) =>
			messagePage("Cannot continue", message, { instanceTitle: ctx.config.title, status: 400 });
		if (!uri.startsWith(`${ctx.config.origin}/`))
			return refuse("Only accounts and posts on this server can be opened from here.");
		const target = await remoteInteractionUrl(ctx, handle, uri);
		if (!target) return refuse("Enter your handle as you@your.server, or the name of your server.");
		return new Response(null, { status: 303, headers: { Location: target, "Cache-Control": "no-store" } });
	});
}
