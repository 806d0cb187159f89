import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";

/** host-meta (RFC 6415): where WebFinger lives, for clients that start there (older OStatus-era software). */
export function hostMetaRoutes(router: AppRouter): void {
	router.get("/.well-known/host-meta", (_request, ctx) => {
		const template = `${ctx.config.origin}/.well-known/webfinger?resource={uri}`;
		const xml = `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="${template}"/>
</XRD>
`;
		return new Response(xml, {
			headers: { "Content-Type": "application/xrd+xml; charset=utf-8", "Cache-Control": "max-age=259200, public" },
		});
	});
	router.get("/.well-known/host-meta.json", (_request, ctx) =>
		json(
			{ links: [{ rel: "lrdd", template: `${ctx.config.origin}/.well-known/webfinger?resource={uri}` }] },
			{ headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "max-age=259200, public" } },
		),
	);
}
