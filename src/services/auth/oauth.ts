import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
	type OAuthApplication,
	type OAuthAuthorizationCode,
	oauthApplications,
	oauthAuthorizationCodes,
} from "../../db/schema";
import { bytesToBase64Url } from "../../lib/base64";
import { randomToken, sha256Hex, timingSafeEqual } from "../../lib/crypto/digest";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { parseScopes, unknownScopes } from "../../lib/scopes";
import { type IssuedToken, issueAccessToken, revokeTokenStatements } from "./tokens";

/** The redirect URI that asks for the code to be shown on a page instead (RFC 8252's old out-of-band form). */
export const OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob";
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const DEFAULT_APP_SCOPES = "read";
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:"]);

/** An OAuth error as RFC 6749 §5.2 names it, with the HTTP status it is sent with. */
export class OAuthError extends Error {
	constructor(
		readonly error: string,
		readonly description: string,
		readonly status = 400,
	) {
		super(description);
	}
}

/** Problems with one redirect URI, or undefined when Tern accepts it. */
export function redirectUriProblem(uri: string): string | undefined {
	if (uri === OOB_REDIRECT_URI) return undefined;
	let url: URL;
	try {
		url = new URL(uri);
	} catch {
		return "must be an absolute URI";
	}
	if (FORBIDDEN_SCHEMES.has(url.protocol)) return "uses a forbidden scheme";
	if (uri.includes("#")) return "cannot contain a fragment";
	return undefined;
}

/** Splits `redirect_uris` given as one string (whitespace or newline separated) or as a list. */
export function splitRedirectUris(value: string | string[]): string[] {
	const items = Array.isArray(value) ? value : [value];
	return items.flatMap((item) => item.split(/\s+/)).filter(Boolean);
}

export interface RegisterAppInput {
	name: string;
	redirectUris: string[];
	scopes: string | undefined;
	website: string | undefined;
}

export interface RegisteredApp {
	app: OAuthApplication;
	/** Shown once; only its hash is stored. */
	clientSecret: string;
}

export async function registerApplication(db: Db, input: RegisterAppInput): Promise<RegisteredApp> {
	const name = input.name.trim();
	if (!name) throw new ValidationError("client_name", "Application name can't be blank");
	if (name.length > 60) throw new ValidationError("client_name", "Application name is too long (maximum is 60)");
	if (input.redirectUris.length === 0) throw new ValidationError("redirect_uris", "Redirect URI can't be blank");
	for (const uri of input.redirectUris) {
		const problem = redirectUriProblem(uri);
		if (problem) throw new ValidationError("redirect_uris", `Redirect URI ${problem}`);
	}
	const scopes = parseScopes(input.scopes ?? DEFAULT_APP_SCOPES);
	if (scopes.length === 0) throw new ValidationError("scopes", "Scopes can't be blank");
	const unknown = unknownScopes(scopes);
	if (unknown.length > 0) throw new ValidationError("scopes", `Scopes are invalid: ${unknown.join(", ")}`);
	const website: string | null = input.website?.trim() || null;
	if (website) {
		try {
			const url = new URL(website);
			if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("scheme");
		} catch {
			throw new ValidationError("website", "Website is not a valid URL");
		}
	}
	const clientSecret = randomToken(32);
	const app = {
		id: newId(),
		name,
		website,
		redirectUris: [...new Set(input.redirectUris)],
		scopes: [...new Set(scopes)].join(" "),
		clientId: randomToken(32),
		clientSecretHash: await sha256Hex(clientSecret),
		createdAt: new Date(),
	};
	await db.insert(oauthApplications).values(app);
	return { app, clientSecret };
}

export async function findApplicationByClientId(db: Db, clientId: string): Promise<OAuthApplication | undefined> {
	const rows = await db.select().from(oauthApplications).where(eq(oauthApplications.clientId, clientId)).limit(1);
	return rows[0];
}

export async function findApplicationById(db: Db, id: string): Promise<OAuthApplication | undefined> {
	const rows = await db.select().from(oauthApplications).where(eq(oauthApplications.id, id)).limit(1);
	return rows[0];
}

/** The client, if `clientSecret` is its secret; the same `invalid_client` error otherwise, whatever was wrong. */
export async function authenticateClient(db: Db, clientId: string, clientSecret: string): Promise<OAuthApplication> {
	const app = clientId ? await findApplicationByClientId(db, clientId) : undefined;
	const hash = await sha256Hex(clientSecret);
	if (!app || !timingSafeEqual(hash, app.clientSecretHash)) {
		throw new OAuthError(
			"invalid_client",
			"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
			401,
		);
	}
	return app;
}

/**
 * The scopes a request asks of an app: all of them when none are named. A
 * scope the app was not registered with is refused, not silently dropped.
 */
export function requestedScopes(app: OAuthApplication, scope: string | undefined): string[] | undefined {
	const appScopes = parseScopes(app.scopes);
	const asked = parseScopes(scope);
	if (asked.length === 0) return appScopes;
	const unique = [...new Set(asked)];
	return unique.every((s) => appScopes.includes(s)) ? unique : undefined;
}

export interface CodeRequest {
	app: OAuthApplication;
	userId: string;
	redirectUri: string;
	scopes: string[];
	codeChallenge: string | undefined;
	codeChallengeMethod: "S256" | "plain" | undefined;
}

export async function issueAuthorizationCode(db: Db, request: CodeRequest): Promise<string> {
	const code = randomToken(32);
	const now = new Date();
	await db.insert(oauthAuthorizationCodes).values({
		id: newId(now),
		codeHash: await sha256Hex(code),
		applicationId: request.app.id,
		userId: request.userId,
		redirectUri: request.redirectUri,
		scopes: request.scopes.join(" "),
		codeChallenge: request.codeChallenge ?? null,
		codeChallengeMethod: request.codeChallenge ? (request.codeChallengeMethod ?? "plain") : null,
		expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
		createdAt: now,
	});
	return code;
}

async function s256(verifier: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
	return bytesToBase64Url(new Uint8Array(digest));
}

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

async function verifierMatches(code: OAuthAuthorizationCode, verifier: string | undefined): Promise<boolean> {
	if (!code.codeChallenge) return true;
	if (!verifier || !VERIFIER_PATTERN.test(verifier)) return false;
	const computed = code.codeChallengeMethod === "S256" ? await s256(verifier) : verifier;
	return timingSafeEqual(computed, code.codeChallenge);
}

const INVALID_GRANT =
	"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";

/**
 * Exchanges a code for a token. The code is claimed with one conditional
 * update, so two racing exchanges cannot both succeed; a replayed code also
 * revokes the token it was first exchanged for.
 */
export async function exchangeAuthorizationCode(
	db: Db,
	app: OAuthApplication,
	input: { code: string; redirectUri: string | undefined; codeVerifier: string | undefined },
): Promise<IssuedToken> {
	const now = new Date();
	const codeHash = await sha256Hex(input.code);
	const claimed = await db
		.update(oauthAuthorizationCodes)
		.set({ usedAt: now })
		.where(
			and(
				eq(oauthAuthorizationCodes.codeHash, codeHash),
				eq(oauthAuthorizationCodes.applicationId, app.id),
				isNull(oauthAuthorizationCodes.usedAt),
				gt(oauthAuthorizationCodes.expiresAt, now),
			),
		)
		.returning();
	const code = claimed[0];
	if (!code) {
		const [replayed] = await db
			.select({ tokenId: oauthAuthorizationCodes.accessTokenId })
			.from(oauthAuthorizationCodes)
			.where(and(eq(oauthAuthorizationCodes.codeHash, codeHash), eq(oauthAuthorizationCodes.applicationId, app.id)))
			.limit(1);
		if (replayed?.tokenId) await db.batch(revokeTokenStatements(db, replayed.tokenId, now));
		throw new OAuthError("invalid_grant", INVALID_GRANT);
	}
	if (input.redirectUri !== undefined && input.redirectUri !== code.redirectUri) {
		throw new OAuthError("invalid_grant", INVALID_GRANT);
	}
	if (!(await verifierMatches(code, input.codeVerifier))) {
		throw new OAuthError("invalid_grant", "The code verifier does not match the code challenge.");
	}
	const token = await issueAccessToken(db, { userId: code.userId, applicationId: app.id, scopes: code.scopes });
	await db
		.update(oauthAuthorizationCodes)
		.set({ accessTokenId: token.id })
		.where(eq(oauthAuthorizationCodes.id, code.id));
	return token;
}
