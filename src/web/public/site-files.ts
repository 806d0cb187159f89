import type { AppContext, AppRequest } from "../../http/context";
import type { AppRouter } from "../../http/router";
import { escapeHtml } from "../../lib/text/html";
import { noindexUsernames } from "../../services/accounts/public-profile";
import { cachedPage } from "./cache";

const ACCENT = "#2b5fd9";

/** Pages that are for one person, never for search engines. */
const PRIVATE_PATHS = [
	"/auth/",
	"/oauth/",
	"/settings",
	"/remote_interaction",
	"/authorize_interaction",
	"/api/",
	"/media/",
];

/**
 * robots.txt: the private paths, and every page of the members who asked
 * search engines to leave them out (their profile, posts and feed). `$`
 * anchors a name so that leaving out `/@al` does not leave out `/@alice`.
 */
async function robots(request: AppRequest, ctx: AppContext): Promise<Response> {
	return cachedPage(request, ctx, [], async (fresh) => {
		const names = await noindexUsernames(fresh.db);
		const lines = ["User-agent: *", ...PRIVATE_PATHS.map((path) => `Disallow: ${path}`)];
		for (const name of names) {
			for (const base of [`/@${name}`, `/users/${name}`]) lines.push(`Disallow: ${base}$`, `Disallow: ${base}/`);
			lines.push(`Disallow: /@${name}.rss$`);
		}
		return new Response(`${lines.join("\n")}\n`, {
			headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=0, must-revalidate" },
		});
	});
}

/** The instance's icon: the first letter of its title on the accent colour, so each server has its own. */
function favicon(_request: AppRequest, ctx: AppContext): Response {
	const letter = escapeHtml([...ctx.config.title.trim()][0]?.toUpperCase() ?? "T");
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${ACCENT}"/><text x="32" y="45" font-family="system-ui,sans-serif" font-size="38" font-weight="700" text-anchor="middle" fill="#fff">${letter}</text></svg>`;
	return new Response(svg, {
		headers: {
			"Content-Type": "image/svg+xml",
			"Cache-Control": "public, max-age=3600",
			"X-Content-Type-Options": "nosniff",
		},
	});
}

/** The web app manifest, from the instance's title and description. */
function manifest(_request: AppRequest, ctx: AppContext): Response {
	const body = {
		name: ctx.config.title,
		short_name: ctx.config.title.slice(0, 12),
		description: ctx.config.description || `${ctx.config.title}, a server in the fediverse`,
		start_url: "/",
		scope: "/",
		display: "browser",
		background_color: "#f4f5f7",
		theme_color: ACCENT,
		icons: [{ src: "/favicon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
	};
	return new Response(JSON.stringify(body), {
		headers: { "Content-Type": "application/manifest+json; charset=utf-8", "Cache-Control": "public, max-age=3600" },
	});
}

export function siteFileRoutes(router: AppRouter): void {
	router.get("/robots.txt", robots);
	router.get("/favicon.svg", favicon);
	router.get("/favicon.ico", () => new Response(null, { status: 301, headers: { Location: "/favicon.svg" } }));
	router.get("/manifest.webmanifest", manifest);
	router.get("/manifest.json", manifest);
}
