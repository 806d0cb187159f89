import { requireUser } from "../../http/auth";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeCredentialAccount } from "../../serializers/mastodon/account";

export function accountRoutes(router: AppRouter): void {
	router.get("/api/v1/accounts/verify_credentials", async (request, ctx) => {
		const { account, user } = await requireUser(request, ctx, "profile", "read:accounts");
		// Follow requests arrive with the federation layer; until then no account can have one.
		return json(serializeCredentialAccount(account, user, ctx.config, { followRequestsCount: 0 }));
	});
}
