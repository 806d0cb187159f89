import type { AppRouter } from "../../http/router";
import { remoteInteractionRoutes } from "./follow-box";
import { sitePageRoutes } from "./site";
import { siteFileRoutes } from "./site-files";
import { tagPageRoutes } from "./tags";

/** The public pages not tied to an actor or post address (those are routed with their ActivityPub documents). */
export function publicPageRoutes(router: AppRouter): void {
	sitePageRoutes(router);
	tagPageRoutes(router);
	siteFileRoutes(router);
	remoteInteractionRoutes(router);
}
