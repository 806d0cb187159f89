import { accountActionRoutes } from "../api/v1/account-actions";
import { accountViewRoutes } from "../api/v1/account-views";
import { accountRoutes } from "../api/v1/accounts";
import { blockRoutes } from "../api/v1/blocks";
import { bookmarkRoutes } from "../api/v1/bookmarks";
import { conversationRoutes } from "../api/v1/conversations";
import { favouriteRoutes } from "../api/v1/favourites";
import { filterV1Routes } from "../api/v1/filters";
import { followRequestRoutes } from "../api/v1/follow-requests";
import { listRoutes } from "../api/v1/lists";
import { markerRoutes } from "../api/v1/markers";
import { muteRoutes } from "../api/v1/mutes";
import { notificationRoutes } from "../api/v1/notifications";
import { pollRoutes } from "../api/v1/polls";
import { statusRoutes } from "../api/v1/statuses";
import { tagRoutes } from "../api/v1/tags";
import { timelineRoutes } from "../api/v1/timelines";
import { filterV2Routes } from "../api/v2/filters";
import { groupedNotificationRoutes } from "../api/v2/notifications";
import { searchRoutes } from "../api/v2/search";
import { instanceConfig } from "../config";
import { createDb } from "../db/client";
import { inboxRoutes } from "../federation/inbox/routes";
import { actorRoutes } from "../federation/routes/actors";
import { authorizeInteractionRoutes } from "../federation/routes/authorize-interaction";
import { collectionRoutes } from "../federation/routes/collections";
import { hostMetaRoutes } from "../federation/routes/host-meta";
import { nodeinfoRoutes } from "../federation/routes/nodeinfo";
import { statusDocumentRoutes } from "../federation/routes/statuses";
import { webfingerRoutes } from "../federation/routes/webfinger";
import type { AppContext } from "./context";
import { preflight, withCors } from "./cors";
import { missingAvatar, missingHeader } from "./default-images";
import { errorResponse } from "./error-response";
import { notFound } from "./errors";
import { createRouter } from "./router";

const router = createRouter();
accountRoutes(router);
accountViewRoutes(router);
accountActionRoutes(router);
followRequestRoutes(router);
blockRoutes(router);
muteRoutes(router);
markerRoutes(router);
listRoutes(router);
tagRoutes(router);
searchRoutes(router);
notificationRoutes(router);
groupedNotificationRoutes(router);
statusRoutes(router);
timelineRoutes(router);
bookmarkRoutes(router);
favouriteRoutes(router);
pollRoutes(router);
inboxRoutes(router);
webfingerRoutes(router);
hostMetaRoutes(router);
nodeinfoRoutes(router);
actorRoutes(router);
statusDocumentRoutes(router);
collectionRoutes(router);
authorizeInteractionRoutes(router);
filterV1Routes(router);
filterV2Routes(router);
conversationRoutes(router);
router.get("/avatars/original/missing.png", missingAvatar);
router.get("/headers/original/missing.png", missingHeader);
router.all("*", () => {
	throw notFound("Not found");
});

/** The Worker's fetch handler: CORS preflight, routing, errors in Mastodon's shape, CORS headers. */
export async function handleFetch(request: Request, env: Env, exec: ExecutionContext): Promise<Response> {
	const early = preflight(request);
	if (early) return early;
	let response: Response;
	try {
		const ctx: AppContext = { env, exec, db: createDb(env.DB), config: instanceConfig(env) };
		response = await router.fetch(request, ctx);
	} catch (error) {
		response = errorResponse(error);
	}
	return withCors(request, response);
}
