import type { AppContext, AppRequest } from "../../http/context";
import type { AppRouter } from "../../http/router";
import { isId } from "../../lib/ids";
import {
	ACCOUNT_ACTION_TYPES,
	type AccountActionType,
	approveSignUp,
	isPending,
	performAccountAction,
	rejectSignUp,
	resetPassword,
	UNDO_ACTIONS,
	type UndoAction,
	undoAccountAction,
} from "../../services/moderation/account-actions";
import {
	type AdminAccountFilter,
	type AdminAccountRow,
	findAdminAccount,
	listAdminAccounts,
} from "../../services/moderation/admin-accounts";
import { handleOf } from "../../services/moderation/audit-log";
import { listReports } from "../../services/moderation/reports";
import { html, type SafeHtml } from "../html";
import {
	actionButton,
	type Console,
	consolePage,
	csrfField,
	formatTime,
	openConsole,
	openConsoleForm,
	refusedPage,
	seeOther,
	userError,
} from "./console";
import { ACTION_LABELS, UNDO_LABELS } from "./labels";

const PAGE_SIZE = 50;
const STATUSES = ["active", "pending", "disabled", "silenced", "suspended", "sensitized"] as const;

function state(row: {
	account: import("../../db/schema").Account;
	user: import("../../db/schema").User | null;
}): string {
	const { account, user } = row;
	const parts: string[] = [];
	if (account.suspendedAt) parts.push(account.suspensionOrigin === "remote" ? "suspended by its server" : "suspended");
	if (account.silencedAt) parts.push("limited");
	if (account.sensitizedAt) parts.push("sensitive");
	if (user?.disabled) parts.push("login disabled");
	if (user?.rejectedAt) parts.push("sign-up rejected");
	else if (user && !user.approved) parts.push("waiting for approval");
	return parts.length > 0 ? parts.join(", ") : "active";
}

async function accountList(request: AppRequest, ctx: AppContext, c: Console): Promise<Response> {
	const url = new URL(request.url);
	const q = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
	const origin = url.searchParams.get("origin");
	const status = url.searchParams.get("status");
	const maxId = url.searchParams.get("max_id");
	// `name@domain` searches that domain; a bare word searches names.
	const [name, domain] = q.replace(/^@/, "").split("@");
	const filter: AdminAccountFilter = {
		origin: origin === "local" || origin === "remote" ? origin : undefined,
		status: (STATUSES as readonly string[]).includes(status ?? "")
			? (status as AdminAccountFilter["status"])
			: undefined,
		username: name || undefined,
		byDomain: domain || undefined,
		maxId: maxId && isId(maxId) ? maxId : undefined,
		limit: PAGE_SIZE,
	};
	const rows = await listAdminAccounts(ctx.db, filter);
	const last = rows[rows.length - 1];
	const option = (value: string, label: string, current: string | null) =>
		html`<option value="${value}"${current === value ? html` selected` : ""}>${label}</option>`;
	const next = new URL(url);
	next.searchParams.delete("notice");
	if (last) next.searchParams.set("max_id", last.account.id);
	const body = html`<form method="get" action="/admin/accounts" class="filters">
<label for="q">Search</label><input id="q" type="text" name="q" value="${q}" placeholder="name or name@domain">
<label for="origin">Where</label><select id="origin" name="origin">${option("", "Everywhere", origin)}${option("local", "This server", origin)}${option("remote", "Other servers", origin)}</select>
<label for="status">State</label><select id="status" name="status">${option("", "Any", status)}${STATUSES.map((s) => option(s, s, status))}</select>
<button type="submit" class="secondary">Filter</button></form>
${
	rows.length === 0
		? html`<p>No accounts match.</p>`
		: html`<div class="table-wrap"><table><thead><tr><th>Account</th><th>State</th><th>Posts</th><th>Known since</th></tr></thead><tbody>
${rows.map(
	(row) =>
		html`<tr><td><a href="/admin/accounts/${row.account.id}">@${handleOf(row.account)}</a>${row.user && row.user.role !== "user" ? html` <span class="badge">${row.user.role}</span>` : ""}</td><td>${state(row)}</td><td>${row.account.statusesCount}</td><td>${formatTime(row.account.createdAt)}</td></tr>`,
)}</tbody></table></div>
${rows.length === PAGE_SIZE ? html`<p><a href="${next.pathname}${next.search}">More</a></p>` : ""}`
}`;
	return consolePage(request, ctx, c, "Accounts", body);
}

function actionForms(c: Console, row: AdminAccountRow): SafeHtml {
	const { account, user } = row;
	const path = `/admin/accounts/${account.id}`;
	if (user && user.role !== "user") {
		return html`<p class="notice">Moderators and admins cannot be moderated from the console; change their role first.</p>`;
	}
	const local = account.domain === null;
	const available = ACCOUNT_ACTION_TYPES.filter((type) => {
		if (!local && (type === "none" || type === "disable")) return false;
		if (type === "disable" && user?.disabled) return false;
		if (type === "suspend" && account.suspendedAt) return false;
		if (type === "silence" && (account.silencedAt || account.suspendedAt)) return false;
		if (type === "sensitive" && account.sensitizedAt) return false;
		return true;
	});
	const undos = UNDO_ACTIONS.filter((undo) =>
		undo === "enable"
			? user?.disabled
			: undo === "unsensitive"
				? account.sensitizedAt
				: undo === "unsilence"
					? account.silencedAt
					: account.suspendedAt && account.suspensionOrigin !== "remote",
	);
	return html`${
		available.length > 0
			? html`<form method="post" action="${path}" class="stack">${csrfField(c)}<input type="hidden" name="op" value="act">
<label for="action">Action</label><select id="action" name="action">${available.map((a) => html`<option value="${a}">${ACTION_LABELS[a]}</option>`)}</select>
${
	local
		? html`<label for="text">Message to the member</label><textarea id="text" name="text" maxlength="5000"></textarea>
<label class="check"><input type="checkbox" name="notify" value="1" checked> Notify the member</label>`
		: ""
}
<label for="note">Note for moderators (why)</label><textarea id="note" name="note" maxlength="5000"></textarea>
<button type="submit">Take action</button></form>`
			: ""
	}
${undos.length > 0 ? html`<p class="actions">${undos.map((undo) => actionButton(c, path, UNDO_LABELS[undo], { op: undo }, "secondary"))}</p>` : ""}
${
	user && isPending(user)
		? html`<div class="actions">${actionButton(c, path, "Approve sign-up", { op: "approve" })}
<form method="post" action="${path}" class="inline-form">${csrfField(c)}<input type="hidden" name="op" value="reject">
<label for="reject-text">Notice (shown when they sign in)</label><input id="reject-text" type="text" name="text" maxlength="5000">
<button type="submit" class="danger">Reject sign-up</button></form></div>`
		: ""
}
${local && user ? html`<p class="actions">${actionButton(c, path, "Reset password", { op: "reset_password" }, "secondary")}</p>` : ""}`;
}

async function accountDetail(request: AppRequest, ctx: AppContext, c: Console, id: string): Promise<Response> {
	const row = await findAdminAccount(ctx.db, id);
	if (!row) return refusedPage(ctx, 404, "Not found", "There is no such account.");
	const { account, user } = row;
	const reports = c.can("manageReports") ? await listReports(ctx.db, { targetAccountId: account.id, limit: 20 }) : [];
	const body = html`<dl class="facts">
<dt>Handle</dt><dd>@${handleOf(account)}${account.url ? html` · <a href="${account.url}">profile</a>` : ""}</dd>
<dt>Name</dt><dd>${account.displayName || "—"}</dd>
<dt>State</dt><dd>${state(row)}</dd>
${user ? html`<dt>Email</dt><dd>${user.email}</dd><dt>Role</dt><dd>${user.role}</dd><dt>Last sign-in</dt><dd>${formatTime(user.lastSignInAt)}</dd>${user.signUpReason ? html`<dt>Why they joined</dt><dd>${user.signUpReason}</dd>` : ""}` : ""}
<dt>Posts, followers, following</dt><dd>${account.statusesCount}, ${account.followersCount}, ${account.followingCount}</dd>
<dt>Known since</dt><dd>${formatTime(account.createdAt)}</dd>
</dl>
<h2>Actions</h2>
${actionForms(c, row)}
${
	reports.length > 0
		? html`<h2>Reports about this account</h2><ul>${reports.map((r) => html`<li><a href="/admin/reports/${r.id}">#${r.id.slice(-6)}</a> ${r.category} · ${r.actionTakenAt ? "resolved" : "open"} · ${formatTime(r.createdAt)}</li>`)}</ul>`
		: ""
}`;
	return consolePage(request, ctx, c, `@${handleOf(account)}`, body);
}

export function accountPageRoutes(router: AppRouter): void {
	router.get("/admin/accounts", async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageUsers");
		if (c instanceof Response) return c;
		return accountList(request, ctx, c);
	});

	router.get("/admin/accounts/:id", async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageUsers");
		if (c instanceof Response) return c;
		return accountDetail(request, ctx, c, request.params.id ?? "");
	});

	router.post("/admin/accounts/:id", async (request, ctx) => {
		const opened = await openConsoleForm(request, ctx, "manageUsers");
		if (opened instanceof Response) return opened;
		const { console: c, params } = opened;
		const row = await findAdminAccount(ctx.db, request.params.id ?? "");
		if (!row) return refusedPage(ctx, 404, "Not found", "There is no such account.");
		const path = `/admin/accounts/${row.account.id}`;
		const op = params.string("op") ?? "";
		try {
			if (op === "act") {
				const action = params.string("action") ?? "";
				await performAccountAction(ctx, c.moderator, row.account, {
					type: action as AccountActionType,
					text: params.string("text") ?? "",
					note: params.string("note") ?? "",
					notify: params.boolean("notify") === true,
				});
				return seeOther(path, `Done: ${ACTION_LABELS[action as AccountActionType] ?? action}.`);
			}
			if ((UNDO_ACTIONS as readonly string[]).includes(op)) {
				await undoAccountAction(ctx, c.moderator, row.account, op as UndoAction);
				return seeOther(path, `Done: ${UNDO_LABELS[op as UndoAction]}.`);
			}
			if (op === "approve") {
				await approveSignUp(ctx, c.moderator, row.account);
				return seeOther(path, "Sign-up approved.");
			}
			if (op === "reject") {
				await rejectSignUp(ctx, c.moderator, row.account, params.string("text") ?? "");
				return seeOther(path, "Sign-up rejected.");
			}
			if (op === "reset_password") {
				const link = await resetPassword(ctx, c.moderator, c.session.user, row.account);
				return consolePage(
					request,
					ctx,
					c,
					"Password reset",
					html`<p>The password of @${handleOf(row.account)} no longer works, and their browser sessions were ended. With this link, valid until ${link.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC and usable once, they choose a new one:</p><code class="grant">${link.url}</code><p>Give it to them through a channel you trust.</p><p><a href="${path}">Back to the account</a></p>`,
				);
			}
			return seeOther(path, "Nothing to do.");
		} catch (error) {
			const message = userError(error);
			if (message) return seeOther(path, message);
			throw error;
		}
	});
}
