import { requireUser } from "../../http/auth";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import type { MastodonPreferences } from "../../serializers/mastodon/instance-entities";

export function preferencesRoutes(router: AppRouter): void {
	router.get("/api/v1/preferences", async (request, ctx) => {
		const { user } = await requireUser(request, ctx, "read:accounts");
		// Reading preferences (media and spoiler expansion) are not settable on Tern: Mastodon's defaults apply.
		const body: MastodonPreferences = {
			"posting:default:visibility": user.defaultPrivacy,
			"posting:default:sensitive": user.defaultSensitive,
			"posting:default:language": user.defaultLanguage,
			"reading:expand:media": "default",
			"reading:expand:spoilers": false,
		};
		return json(body);
	});
}
