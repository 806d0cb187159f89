import type { Db } from "../../db/client";
import type { OAuthApplication } from "../../db/schema";
import type { Params } from "../../http/params";
import { findApplicationByClientId, OOB_REDIRECT_URI, requestedScopes } from "../../services/auth/oauth";

export interface AuthorizeRequest {
	app: OAuthApplication;
	redirectUri: string;
	scopes: string[];
	state: string | undefined;
	codeChallenge: string | undefined;
	codeChallengeMethod: "S256" | "plain" | undefined;
}

/** What to do with a bad request: a page when the client cannot be trusted with a redirect, else a redirect. */
export type AuthorizeProblem =
	| { kind: "page"; message: string }
	| { kind: "redirect"; redirectUri: string; error: string; description: string; state: string | undefined };

const CHALLENGE_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

function text(params: Params, name: string): string | undefined {
	const value = params.raw(name);
	return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Checks an authorization request (RFC 6749 §4.1.1, RFC 7636). An unknown
 * client or unregistered redirect URI is shown as an error page and never
 * redirected to, so the endpoint cannot be used as an open redirector.
 */
export async function parseAuthorizeRequest(
	db: Db,
	params: Params,
): Promise<{ ok: AuthorizeRequest } | { problem: AuthorizeProblem }> {
	const clientId = text(params, "client_id");
	const app = clientId ? await findApplicationByClientId(db, clientId) : undefined;
	if (!app) return { problem: { kind: "page", message: "The application asking for access is unknown (client_id)." } };
	const redirectUri = text(params, "redirect_uri") ?? (app.redirectUris.length === 1 ? app.redirectUris[0] : undefined);
	if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
		return { problem: { kind: "page", message: "The redirect URI is not one this application registered." } };
	}
	const state = text(params, "state");
	const fail = (error: string, description: string) => ({
		problem: { kind: "redirect" as const, redirectUri, error, description, state },
	});
	const responseType = text(params, "response_type");
	if (responseType !== "code") {
		return fail("unsupported_response_type", "The authorization server only supports response_type=code.");
	}
	const scopes = requestedScopes(app, text(params, "scope"));
	if (!scopes) return fail("invalid_scope", "The requested scope is invalid, unknown, or malformed.");
	const codeChallenge = text(params, "code_challenge");
	const method = text(params, "code_challenge_method");
	if (method !== undefined && method !== "S256" && method !== "plain") {
		return fail("invalid_request", "code_challenge_method must be S256 or plain.");
	}
	if (codeChallenge !== undefined && !CHALLENGE_PATTERN.test(codeChallenge)) {
		return fail("invalid_request", "code_challenge must be 43 to 128 unreserved characters.");
	}
	if (method !== undefined && codeChallenge === undefined) {
		return fail("invalid_request", "code_challenge_method was given without code_challenge.");
	}
	return {
		ok: {
			app,
			redirectUri,
			scopes,
			state,
			codeChallenge,
			codeChallengeMethod: codeChallenge ? ((method as "S256" | "plain" | undefined) ?? "plain") : undefined,
		},
	};
}

/** The client's redirect URI with `values` added to its query, keeping any query it already has. */
export function redirectWith(redirectUri: string, values: Record<string, string | undefined>): string {
	const url = new URL(redirectUri);
	for (const [name, value] of Object.entries(values)) if (value !== undefined) url.searchParams.set(name, value);
	return url.href;
}

export function isOob(redirectUri: string): boolean {
	return redirectUri === OOB_REDIRECT_URI;
}
