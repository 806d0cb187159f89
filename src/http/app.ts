import { authorizeRoutes } from "../api/oauth/authorize";
import { oauthMetadataRoutes } from "../api/oauth/metadata";
import { tokenRoutes } from "../api/oauth/token";
import { accountActionRoutes } from "../api/v1/account-actions";
import { accountViewRoutes } from "../api/v1/account-views";
import { accountRoutes } from "../api/v1/accounts";
import { adminAccountRoutes } from "../api/v1/admin/accounts";
import { adminDomainAllowRoutes } from "../api/v1/admin/domain-allows";
import { adminDomainBlockRoutes } from "../api/v1/admin/domain-blocks";
import { adminEmailDomainBlockRoutes } from "../api/v1/admin/email-domain-blocks";
import { adminReportRoutes } from "../api/v1/admin/reports";
import { announcementRoutes } from "../api/v1/announcements";
import { appRoutes } from "../api/v1/apps";
import { blockRoutes } from "../api/v1/blocks";
import { bookmarkRoutes } from "../api/v1/bookmarks";
import { conversationRoutes } from "../api/v1/conversations";
import { credentialRoutes } from "../api/v1/credentials";
import { customEmojiRoutes } from "../api/v1/custom-emojis";
import { directoryRoutes } from "../api/v1/directory";
import { domainBlockRoutes } from "../api/v1/domain-blocks";
import { favouriteRoutes } from "../api/v1/favourites";
import { featuredTagRoutes } from "../api/v1/featured-tags";
import { filterV1Routes } from "../api/v1/filters";
import { followRequestRoutes } from "../api/v1/follow-requests";
import { instanceV1Routes } from "../api/v1/instance";
import { listRoutes } from "../api/v1/lists";
import { markerRoutes } from "../api/v1/markers";
import { mediaRoutes } from "../api/v1/media";
import { muteRoutes } from "../api/v1/mutes";
import { notificationRoutes } from "../api/v1/notifications";
import { pollRoutes } from "../api/v1/polls";
import { preferencesRoutes } from "../api/v1/preferences";
import { pushRoutes } from "../api/v1/push";
import { registrationRoutes } from "../api/v1/registrations";
import { reportRoutes } from "../api/v1/reports";
import { statusRoutes } from "../api/v1/statuses";
import { streamingRoutes } from "../api/v1/streaming";
import { suggestionRoutes } from "../api/v1/suggestions";
import { tagRoutes } from "../api/v1/tags";
import { timelineRoutes } from "../api/v1/timelines";
import { trendRoutes } from "../api/v1/trends";
import { filterV2Routes } from "../api/v2/filters";
import { instanceV2Routes } from "../api/v2/instance";
import { groupedNotificationRoutes } from "../api/v2/notifications";
import { searchRoutes } from "../api/v2/search";
import { createDb } from "../db/client";
import { inboxRoutes } from "../federation/inbox/routes";
import { relayAfterResponse } from "../federation/outbox/after-response";
import { actorRoutes } from "../federation/routes/actors";
import { authorizeInteractionRoutes } from "../federation/routes/authorize-interaction";
import { collectionRoutes } from "../federation/routes/collections";
import { hostMetaRoutes } from "../federation/routes/host-meta";
import { nodeinfoRoutes } from "../federation/routes/nodeinfo";
import { statusDocumentRoutes } from "../federation/routes/statuses";
import { webfingerRoutes } from "../federation/routes/webfinger";
import { cachedInstanceSettings } from "../services/instance/settings";
import { annotateForBench, finishInvocation, startInvocation } from "../services/usage/invocation";
import { adminConsoleRoutes } from "../web/admin/routes";
import { mediaFileRoutes } from "../web/media-files";
import { passwordResetRoutes } from "../web/password-reset";
import { publicPageRoutes } from "../web/public/routes";
import { settingsRoutes } from "../web/settings/routes";
import { settingsAccountRoutes } from "../web/settings-account";
import { settingsDataRoutes } from "../web/settings-data";
import { setupRoutes } from "../web/setup";
import { signInRoutes } from "../web/sign-in";
import { signUpRoutes } from "../web/sign-up";
import type { AppContext } from "./context";
import { preflight, withCors } from "./cors";
import { missingAvatar, missingHeader } from "./default-images";
import { errorResponse } from "./error-response";
import { notFound } from "./errors";
import { instanceGate } from "./instance-gate";
import { createRouter } from "./router";

const router = createRouter();
// Before any /api/v1/accounts/:id route, which would otherwise take "update_credentials" as an id.
credentialRoutes(router);
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
appRoutes(router);
instanceV1Routes(router);
instanceV2Routes(router);
preferencesRoutes(router);
customEmojiRoutes(router);
oauthMetadataRoutes(router);
authorizeRoutes(router);
tokenRoutes(router);
signInRoutes(router);
signUpRoutes(router);
setupRoutes(router);
registrationRoutes(router);
mediaRoutes(router);
mediaFileRoutes(router);
filterV1Routes(router);
filterV2Routes(router);
conversationRoutes(router);
pushRoutes(router);
featuredTagRoutes(router);
announcementRoutes(router);
reportRoutes(router);
domainBlockRoutes(router);
streamingRoutes(router);
trendRoutes(router);
suggestionRoutes(router);
directoryRoutes(router);
adminAccountRoutes(router);
adminReportRoutes(router);
adminDomainBlockRoutes(router);
adminDomainAllowRoutes(router);
adminEmailDomainBlockRoutes(router);
adminConsoleRoutes(router);
publicPageRoutes(router);
settingsRoutes(router);
passwordResetRoutes(router);
settingsDataRoutes(router);
settingsAccountRoutes(router);
router.get("/avatars/original/missing.png", missingAvatar);
router.get("/headers/original/missing.png", missingHeader);
router.all("*", () => {
	throw notFound("Not found");
});

/** The Worker's fetch handler: CORS preflight, routing, errors in Mastodon's shape, CORS headers. */
export async function handleFetch(request: Request, rawEnv: Env, exec: ExecutionContext): Promise<Response> {
	const invocation = startInvocation(rawEnv, "request");
	const early = preflight(request);
	if (early) {
		finishInvocation(invocation, exec);
		return early;
	}
	const { env } = invocation;
	// HEAD is GET without the body (RFC 9110 §9.3.2), for every GET route.
	const head = request.method === "HEAD";
	const routed = head ? new Request(request, { method: "GET" }) : request;
	let response: Response;
	try {
		const db = createDb(env.DB, invocation.usage.d1);
		const gate = await instanceGate(routed, env, await cachedInstanceSettings(env, db), db);
		if ("response" in gate) response = gate.response;
		else {
			const ctx: AppContext = { env: gate.env, exec, db, config: gate.config };
			try {
				response = await router.fetch(routed, ctx);
			} finally {
				relayAfterResponse(ctx);
			}
		}
		// A WebSocket handed over to its streaming object goes back as it is.
		if (response.status === 101) {
			finishInvocation(invocation, exec);
			return response;
		}
	} catch (error) {
		response = errorResponse(error);
	}
	if (head) response = new Response(null, { status: response.status, headers: response.headers });
	response = withCors(request, response);
	finishInvocation(invocation, exec);
	return annotateForBench(invocation, response, `${request.method} ${new URL(request.url).pathname}`);
}
