import type { Account, User } from "../db/schema";
import type { AppContext, AppRequest } from "../http/context";
import { bytesToBase64Url } from "../lib/base64";
import { randomToken, timingSafeEqual } from "../lib/crypto/digest";
import { findWebSessionUser, SESSION_LIFETIME_MS } from "../services/auth/web-sessions";

export const SESSION_COOKIE = "tern_session";
/** Anonymous forms (sign-in, sign-up) are bound to this random cookie instead of a session. */
export const FORM_COOKIE = "tern_form";

export function readCookies(request: Request): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of (request.headers.get("Cookie") ?? "").split(";")) {
		const eq = part.indexOf("=");
		if (eq <= 0) continue;
		const name = part.slice(0, eq).trim();
		if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
	}
	return cookies;
}

export function cookieHeader(ctx: AppContext, name: string, value: string, maxAgeSeconds: number): string {
	const secure = ctx.config.origin.startsWith("https:") ? "; Secure" : "";
	return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

export const sessionCookie = (ctx: AppContext, secret: string) =>
	cookieHeader(ctx, SESSION_COOKIE, secret, Math.floor(SESSION_LIFETIME_MS / 1000));
export const clearedSessionCookie = (ctx: AppContext) => cookieHeader(ctx, SESSION_COOKIE, "", 0);

/**
 * The CSRF token for forms shown to the holder of `cookieSecret`: derived from
 * the HttpOnly cookie, so another site can neither read nor forge it, and a
 * token is worthless with anyone else's cookie.
 */
export async function csrfTokenFor(cookieSecret: string): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`tern-csrf:${cookieSecret}`));
	return bytesToBase64Url(new Uint8Array(digest));
}

export async function csrfValid(cookieSecret: string | undefined, token: string | undefined): Promise<boolean> {
	if (!cookieSecret || !token) return false;
	return timingSafeEqual(await csrfTokenFor(cookieSecret), token);
}

export interface SignedIn {
	user: User;
	account: Account;
	secret: string;
}

export async function currentSession(request: AppRequest, ctx: AppContext): Promise<SignedIn | undefined> {
	const secret = readCookies(request).get(SESSION_COOKIE);
	if (!secret) return undefined;
	const found = await findWebSessionUser(ctx.db, secret);
	return found ? { ...found, secret } : undefined;
}

/** The anonymous form cookie, made fresh when missing (then `setCookie` must be sent with the page). */
export function formSecret(request: Request, ctx: AppContext): { secret: string; setCookie?: string } {
	const existing = readCookies(request).get(FORM_COOKIE);
	if (existing && /^[A-Za-z0-9_-]{20,}$/.test(existing)) return { secret: existing };
	const secret = randomToken(24);
	return { secret, setCookie: cookieHeader(ctx, FORM_COOKIE, secret, 60 * 60 * 24) };
}
