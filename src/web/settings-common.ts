import type { AppContext, AppRequest } from "../http/context";
import { html, page, type SafeHtml } from "./html";
import { csrfTokenFor, csrfValid, currentSession, type SignedIn } from "./session";
import { settingsTabs } from "./settings/frame";

/**
 * What the member's own settings pages (data, aliases, moving, deleting)
 * share: a signed-in browser session, a CSRF token bound to it, and the
 * shared layout. Pages that run a script get a Content-Security-Policy that
 * allows this site's own scripts and requests, nothing else.
 */

export interface SettingsRequest {
	session: SignedIn;
	csrf: string;
}

export async function settingsSession(request: AppRequest, ctx: AppContext): Promise<SettingsRequest | Response> {
	const session = await currentSession(request, ctx);
	if (!session) {
		return page(
			"Sign in first",
			html`<h1>Sign in first</h1><p>This page is for signed-in members. <a href="/auth/sign_in">Sign in</a>, then come back to <a href="${new URL(request.url).pathname}">this page</a>.</p>`,
			{ instanceTitle: ctx.config.title, status: 401 },
		);
	}
	return { session, csrf: await csrfTokenFor(session.secret) };
}

/** A form's or a script's token (field `authenticity_token` or header `X-CSRF-Token`) checked against the session. */
export async function tokenValid(request: AppRequest, settings: SettingsRequest, token: string | undefined) {
	return csrfValid(settings.session.secret, token ?? request.headers.get("X-CSRF-Token") ?? undefined);
}

export function settingsPage(
	ctx: AppContext,
	title: string,
	body: SafeHtml,
	options: { status?: number; script?: string } = {},
): Response {
	const response = page(title, body, { instanceTitle: ctx.config.title, status: options.status });
	if (options.script) {
		response.headers.set(
			"Content-Security-Policy",
			"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
		);
	}
	return response;
}

/** The settings navigation, shared with the profile, password and two-factor pages. */
export function settingsNav(current: string): SafeHtml {
	return settingsTabs(current);
}

export function seeOther(location: string): Response {
	return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ["KiB", "MiB", "GiB", "TiB"];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
