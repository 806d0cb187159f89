import type { UserRole } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import { type Params, readParams } from "../../http/params";
import { NotPermittedError, UnprocessableError, ValidationError } from "../../lib/errors";
import { type Permission, roleCan } from "../../services/accounts/roles";
import type { Moderator } from "../../services/moderation/audit-log";
import { hidden, html, page, type SafeHtml } from "../html";
import { csrfTokenFor, csrfValid, currentSession, type SignedIn } from "../session";

/**
 * The admin console's frame: who may open it (a signed-in moderator or
 * admin, through the same browser session as the OAuth pages), the CSRF
 * check every form goes through, and the shared layout with its navigation.
 */
export interface Console {
	session: SignedIn;
	moderator: Moderator;
	role: UserRole;
	csrf: string;
	can(permission: Permission): boolean;
}

const NAV: { path: string; label: string; permission: Permission }[] = [
	{ path: "/admin", label: "Dashboard", permission: "viewDashboard" },
	{ path: "/admin/reports", label: "Reports", permission: "manageReports" },
	{ path: "/admin/accounts", label: "Accounts", permission: "manageUsers" },
	{ path: "/admin/sign_ups", label: "Sign-ups", permission: "manageUsers" },
	{ path: "/admin/domain_blocks", label: "Domain blocks", permission: "manageFederation" },
	{ path: "/admin/settings", label: "Settings", permission: "manageSettings" },
	{ path: "/admin/audit_log", label: "Audit log", permission: "viewAuditLog" },
];

function signInRedirect(request: Request): Response {
	const url = new URL(request.url);
	const back = `${url.pathname}${url.search}`;
	return new Response(null, {
		status: 303,
		headers: {
			Location: `/auth/sign_in?return_to=${encodeURIComponent(back)}`,
			"Cache-Control": "no-store",
		},
	});
}

export function refusedPage(ctx: AppContext, status: number, title: string, message: string): Response {
	return page(title, html`<h1>${title}</h1><p>${message}</p><p><a href="/admin">Back to the console</a></p>`, {
		instanceTitle: ctx.config.title,
		status,
	});
}

/**
 * The console for this request, or the answer to give instead: a redirect
 * to sign in, or a 403 for an account that is not staff, cannot act right
 * now, or lacks the permission the page needs.
 */
export async function openConsole(
	request: AppRequest,
	ctx: AppContext,
	permission: Permission,
): Promise<Console | Response> {
	const session = await currentSession(request, ctx);
	if (!session) return signInRedirect(request);
	const { user, account } = session;
	if (user.disabled || account.suspendedAt || !user.approved || user.rejectedAt) {
		return refusedPage(ctx, 403, "Not allowed", "Your account cannot use the admin console right now.");
	}
	if (!roleCan(user.role, "viewDashboard")) {
		return refusedPage(ctx, 403, "Not allowed", "The admin console is for this server's moderators and admins.");
	}
	if (!roleCan(user.role, permission)) {
		return refusedPage(ctx, 403, "Not allowed", "Your role does not allow this part of the console.");
	}
	return {
		session,
		moderator: { accountId: account.id },
		role: user.role,
		csrf: await csrfTokenFor(session.secret),
		can: (p) => roleCan(user.role, p),
	};
}

/** For a form post: the console and the form's fields, once the CSRF token checks out (otherwise 403, nothing done). */
export async function openConsoleForm(
	request: AppRequest,
	ctx: AppContext,
	permission: Permission,
	options: { maxBytes?: number } = {},
): Promise<{ console: Console; params: Params } | Response> {
	const opened = await openConsole(request, ctx, permission);
	if (opened instanceof Response) return opened;
	const params = await readParams(request, options);
	if (!(await csrfValid(opened.session.secret, params.string("authenticity_token")))) {
		return refusedPage(
			ctx,
			403,
			"Request refused",
			"The form expired or did not come from this site. Nothing was changed.",
		);
	}
	return { console: opened, params };
}

/** After a form: back to a page (303), with a short notice shown on it. */
export function seeOther(path: string, notice?: string): Response {
	const location = notice
		? `${path}${path.includes("?") ? "&" : "?"}notice=${encodeURIComponent(notice.slice(0, 300))}`
		: path;
	return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

export function csrfField(c: Console): SafeHtml {
	return hidden({ authenticity_token: c.csrf });
}

/** A one-button form (POST to `action`), with any extra hidden fields. */
export function actionButton(
	c: Console,
	action: string,
	label: string,
	fields: Record<string, string> = {},
	style: "primary" | "secondary" | "danger" = "primary",
): SafeHtml {
	return html`<form method="post" action="${action}" class="inline">${csrfField(c)}${hidden(fields)}<button type="submit" class="${style}">${label}</button></form>`;
}

export function formatTime(date: Date | null | undefined): string {
	if (!date) return "—";
	return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A page of the console: the shared layout with the console's navigation and a notice from the last form. */
export function consolePage(
	request: Request,
	ctx: AppContext,
	c: Console,
	title: string,
	body: SafeHtml,
	options: { status?: number; headers?: HeadersInit } = {},
): Response {
	const notice = new URL(request.url).searchParams.get("notice");
	const current = new URL(request.url).pathname;
	const nav = NAV.filter((item) => c.can(item.permission));
	return page(
		`${title} · Admin`,
		html`<div class="admin">
<nav class="admin-nav" aria-label="Admin">${nav.map(
			(item) =>
				html`<a href="${item.path}"${current === item.path || (item.path !== "/admin" && current.startsWith(item.path)) ? html` aria-current="page"` : ""}>${item.label}</a>`,
		)}<form method="post" action="/auth/sign_out" class="inline">${csrfField(c)}<button type="submit" class="link">Sign out @${c.session.account.username}</button></form></nav>
${notice ? html`<p class="flash" role="status">${notice.slice(0, 300)}</p>` : ""}
<h1>${title}</h1>
${body}
</div>`,
		{ instanceTitle: ctx.config.title, status: options.status, headers: options.headers },
	);
}

/** The message of an error a moderator caused (bad input, an action not allowed now); undefined for anything else. */
export function userError(error: unknown): string | undefined {
	if (error instanceof ValidationError || error instanceof UnprocessableError || error instanceof NotPermittedError) {
		return error.message;
	}
	return undefined;
}
