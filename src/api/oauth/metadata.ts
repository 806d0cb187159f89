import { requireUser } from "../../http/auth";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { KNOWN_SCOPES } from "../../lib/scopes";
import { serializeAccount } from "../../serializers/mastodon/account";

export function oauthMetadataRoutes(router: AppRouter): void {
	// RFC 8414: how clients discover the endpoints and what the server supports.
	router.get("/.well-known/oauth-authorization-server", (_request, ctx) => {
		const origin = ctx.config.origin;
		return json(
			{
				issuer: `${origin}/`,
				service_documentation: "https://docs.joinmastodon.org/",
				authorization_endpoint: `${origin}/oauth/authorize`,
				token_endpoint: `${origin}/oauth/token`,
				app_registration_endpoint: `${origin}/api/v1/apps`,
				revocation_endpoint: `${origin}/oauth/revoke`,
				userinfo_endpoint: `${origin}/oauth/userinfo`,
				scopes_supported: [...KNOWN_SCOPES],
				response_types_supported: ["code"],
				response_modes_supported: ["query"],
				grant_types_supported: ["authorization_code", "client_credentials"],
				token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
				code_challenge_methods_supported: ["S256"],
			},
			{ headers: { "Cache-Control": "public, max-age=3600" } },
		);
	});

	// OpenID-style profile of the token's user, as Mastodon answers it for the `profile` scope.
	router.get("/oauth/userinfo", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "profile", "read:accounts");
		const served = serializeAccount(account, ctx.config);
		return json({
			iss: `${ctx.config.origin}/`,
			sub: account.uri,
			name: account.displayName || account.username,
			preferred_username: account.username,
			profile: account.url ?? account.uri,
			picture: served.avatar,
		});
	});
}
