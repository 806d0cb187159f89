import type { AppContext, AppRequest } from "../../http/context";
import { mustSetUpTwoFactor } from "../../services/auth/two-factor";
import { cachedInstanceSettings } from "../../services/instance/settings";
import { hidden, html, page, type SafeHtml } from "../html";
import { csrfTokenFor, csrfValid, currentSession, type SignedIn } from "../session";

export const TABS = [
	["profile", "Profile"],
	["preferences", "Preferences"],
	["account", "Email and password"],
	["two_factor", "Two-factor sign-in"],
	["apps", "Authorized apps"],
	["sessions", "Sessions"],
] as const;
export type Tab = (typeof TABS)[number][0];

/** Every settings page, in the one navigation they share (the data and account pages are `../settings-*.ts`). */
const SETTINGS_LINKS: readonly (readonly [string, string])[] = [
	...TABS.map(([id, label]) => [`/settings/${id}`, label] as const),
	["/settings/data", "Import and export"],
	["/settings/aliases", "Account aliases"],
	["/settings/migration", "Move to another account"],
	["/settings/delete", "Delete account"],
];

export function settingsTabs(current: string): SafeHtml {
	return html`<nav class="tabs" aria-label="Settings">${SETTINGS_LINKS.map(
		([href, label]) => html`<a href="${href}"${href === current ? html` aria-current="page"` : ""}>${label}</a>`,
	)}</nav>`;
}

export interface Member extends SignedIn {
	csrf: string;
}

export interface Outcome {
	status?: number;
	notice?: string;
	error?: string;
}

/** A settings page: the tabs, the outcome of the last form, then the tab's forms. */
export function settingsPage(
	ctx: AppContext,
	member: Member,
	tab: Tab,
	body: SafeHtml,
	outcome: Outcome = {},
): Response {
	const title = TABS.find(([id]) => id === tab)?.[1] ?? "Settings";
	return page(
		title,
		html`${settingsTabs(`/settings/${tab}`)}
<h1>${title}</h1>
${outcome.notice ? html`<p class="ok" role="status">${outcome.notice}</p>` : ""}
${outcome.error ? html`<p class="error" role="alert">${outcome.error}</p>` : ""}
${body}
<form method="post" action="/auth/sign_out">${hidden({ authenticity_token: member.csrf })}<button type="submit" class="secondary">Sign out @${member.account.username}</button></form>`,
		{ instanceTitle: ctx.config.title, status: outcome.status, noindex: true },
	);
}

type MemberHandler = (request: AppRequest, ctx: AppContext, member: Member) => Promise<Response>;

function toSignIn(request: AppRequest): Response {
	const path = new URL(request.url).pathname;
	return new Response(null, {
		status: 303,
		headers: { Location: `/auth/sign_in?return_to=${encodeURIComponent(path)}`, "Cache-Control": "no-store" },
	});
}

/**
 * A settings handler for the signed-in member: others are sent to sign in;
 * posted forms must carry the session's CSRF token; staff who must turn on
 * two-factor sign-in see only that page until they have.
 */
export function forMember(tab: Tab, handler: MemberHandler) {
	return async (request: AppRequest, ctx: AppContext): Promise<Response> => {
		const session = await currentSession(request, ctx);
		if (!session) return toSignIn(request);
		const member: Member = { ...session, csrf: await csrfTokenFor(session.secret) };
		if (tab !== "two_factor" && mustSetUpTwoFactor(session.user, await cachedInstanceSettings(ctx.env, ctx.db))) {
			return new Response(null, { status: 303, headers: { Location: "/settings/two_factor" } });
		}
		return handler(request, ctx, member);
	};
}

/** Whether a posted form carries the member's CSRF token. */
export async function formFromMember(member: Member, token: string | undefined): Promise<boolean> {
	return csrfValid(member.secret, token);
}

export const REFUSED: Outcome = {
	status: 403,
	error: "The form expired or did not come from this site. Please try again.",
};
