import type { AppContext } from "../../http/context";
import { type Params, readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { parseScopes } from "../../lib/scopes";
import {
	authenticateClient,
	DEFAULT_APP_SCOPES,
	exchangeAuthorizationCode,
	OAuthError,
	requestedScopes,
} from "../../services/auth/oauth";
import { type IssuedToken, issueAccessToken, revokeTokenForClient } from "../../services/auth/tokens";

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

function oauthError(error: OAuthError, basicAuth: boolean): Response {
	const headers: Record<string, string> = { ...NO_STORE };
	if (error.status === 401 && basicAuth) headers["WWW-Authenticate"] = 'Basic realm="Doorkeeper"';
	return json({ error: error.error, error_description: error.description }, { status: error.status, headers });
}

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1) or, failing that, from the body. */
function clientCredentials(request: Request, params: Params): { id: string; secret: string; basic: boolean } {
	const header = request.headers.get("Authorization");
	const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
	if (match?.[1]) {
		let decoded = "";
		try {
			decoded = atob(match[1]);
		} catch {
			decoded = "";
		}
		const colon = decoded.indexOf(":");
		if (colon > 0) {
			const decode = (part: string) => {
				try {
					return decodeURIComponent(part.replace(/\+/g, " "));
				} catch {
					return part;
				}
			};
			return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)), basic: true };
		}
	}
	return { id: params.string("client_id") ?? "", secret: params.string("client_secret") ?? "", basic: false };
}

function tokenResponse(token: IssuedToken): Response {
	return json(
		{
			access_token: token.accessToken,
			token_type: "Bearer",
			scope: token.scopes,
			created_at: Math.floor(token.createdAt.getTime() / 1000),
		},
		{ headers: NO_STORE },
	);
}

async function grant(ctx: AppContext, params: Params, basic: { id: string; secret: string }) {
	const grantType = params.string("grant_type");
	if (!grantType) throw new OAuthError("invalid_request", "The request is missing the grant_type parameter.");
	if (grantType !== "authorization_code" && grantType !== "client_credentials") {
		throw new OAuthError(
			"unsupported_grant_type",
			"The authorization grant type is not supported by the authorization server.",
		);
	}
	const app = await authenticateClient(ctx.db, basic.id, basic.secret);
	if (grantType === "client_credentials") {
		const asked = params.string("scope");
		const appScopes = parseScopes(app.scopes);
		const fallback = appScopes.includes(DEFAULT_APP_SCOPES) ? DEFAULT_APP_SCOPES : app.scopes;
		const scopes = requestedScopes(app, asked ?? fallback);
		if (!scopes) throw new OAuthError("invalid_scope", "The requested scope is invalid, unknown, or malformed.");
		return issueAccessToken(ctx.db, { userId: null, applicationId: app.id, scopes: scopes.join(" ") });
	}
	const code = params.string("code");
	if (!code) throw new OAuthError("invalid_request", "The request is missing the code parameter.");
	// A `scope` sent along with the code (some clients do) is ignored: the code fixes the scopes.
	return exchangeAuthorizationCode(ctx.db, app, {
		code,
		redirectUri: params.string("redirect_uri"),
		codeVerifier: params.string("code_verifier"),
	});
}

export function tokenRoutes(router: AppRouter): void {
	router.post("/oauth/token", async (request, ctx) => {
		const params = await readParams(request);
		const credentials = clientCredentials(request, params);
		try {
			return tokenResponse(await grant(ctx, params, credentials));
		} catch (error) {
			if (error instanceof OAuthError) return oauthError(error, credentials.basic);
			throw error;
		}
	});

	router.post("/oauth/revoke", async (request, ctx) => {
		const params = await readParams(request);
		const credentials = clientCredentials(request, params);
		try {
			const app = await authenticateClient(ctx.db, credentials.id, credentials.secret);
			const token = params.string("token");
			if (!token) throw new OAuthError("invalid_request", "The request is missing the token parameter.");
			const outcome = await revokeTokenForClient(ctx, app.id, token);
			if (outcome === "other_client") {
				throw new OAuthError("unauthorized_client", "You are not authorized to revoke this token.", 403);
			}
			return json({}, { headers: NO_STORE });
		} catch (error) {
			if (error instanceof OAuthError) return oauthError(error, credentials.basic);
			throw error;
		}
	});
}
