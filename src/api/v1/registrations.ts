import { authenticate } from "../../http/auth";
import { ApiError, forbidden, unauthorized } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { anyScopeCovers } from "../../lib/scopes";
import type { MastodonToken } from "../../serializers/mastodon/entities";
import { findApplicationById } from "../../services/auth/oauth";
import { RegistrationClosedError, registerUser } from "../../services/auth/registration";
import { issueAccessToken } from "../../services/auth/tokens";
import { SignUpThrottledError } from "../../services/moderation/sign-ups";

export function registrationRoutes(router: AppRouter): void {
	// Mastodon's in-app sign-up: an app token (client_credentials) creates the account and gets the user's token.
	router.post("/api/v1/accounts", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (!auth) throw unauthorized();
		if (auth.user) throw forbidden("This method requires an app token, not a user's");
		if (!anyScopeCovers(auth.scopes, ["write:accounts"])) throw forbidden();
		const app = auth.applicationId ? await findApplicationById(ctx.db, auth.applicationId) : undefined;
		if (!app) throw unauthorized();
		const params = await readParams(request);
		try {
			const { user } = await registerUser(ctx.db, ctx.env, ctx.config, {
				username: params.string("username", { maxLength: 64 }) ?? "",
				email: params.string("email", { maxLength: 320 }) ?? "",
				password: params.string("password", { maxLength: 256 }) ?? "",
				agreement: params.boolean("agreement") === true,
				reason: params.string("reason", { maxLength: 1000 }),
				locale: params.string("locale", { maxLength: 16 }),
				address: request.headers.get("CF-Connecting-IP"),
			});
			const token = await issueAccessToken(ctx.db, { userId: user.id, applicationId: app.id, scopes: app.scopes });
			const body: MastodonToken = {
				access_token: token.accessToken,
				token_type: "Bearer",
				scope: token.scopes,
				created_at: Math.floor(token.createdAt.getTime() / 1000),
			};
			return json(body);
		} catch (error) {
			if (error instanceof RegistrationClosedError) throw new ApiError(403, error.message);
			if (error instanceof SignUpThrottledError) throw new ApiError(429, error.message);
			throw error;
		}
	});
}
