import { requireUser } from "../../http/auth";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeCredentialAccount } from "../../serializers/mastodon/account";
import { countFollowRequests } from "../../services/accounts/follow-requests";

export function accountRoutes(router: AppRouter): void {
	router.get("/api/v1/accounts/verify_credentials", async (request, ctx) => {
		const { account, user } = await requireUser(request, ctx, "profile", "read:accounts");
		const followRequestsCount = await countFollowRequests(ctx.db, account.id);
		return json(serializeCredentialAccount(account, user, ctx.config, { followRequestsCount }));
	});
}
