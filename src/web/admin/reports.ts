import type { Account, Report, ReportedStatusSnapshot } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import type { AppRouter } from "../../http/router";
import { isId } from "../../lib/ids";
import type { MastodonStatus } from "../../serializers/mastodon/entities";
import { findAccounts } from "../../services/accounts/queries";
import { listRules } from "../../services/instance/facts";
import { type AccountActionType, performAccountAction } from "../../services/moderation/account-actions";
import { handleOf } from "../../services/moderation/audit-log";
import {
	addReportNote,
	assignReport,
	findReport,
	listReports,
	reopenReport,
	reportNotesOf,
	resolveReport,
	unassignReport,
} from "../../services/moderation/reports";
import { loadStatusViews } from "../../services/statuses/views";
import { html, SafeHtml as Safe, type SafeHtml } from "../html";
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
import { ACTION_LABELS } from "./labels";

const PAGE_SIZE = 40;

function who(account: Account | undefined): string {
	if (!account) return "(gone)";
	// A remote Flag comes from its server's instance actor: the report is "from that domain".
	if (account.domain && account.actorType === "Application") return `the server ${account.domain}`;
	return `@${handleOf(account)}`;
}

function excerpt(text: string, length = 120): string {
	return text.length > length ? `${text.slice(0, length)}…` : text;
}

async function reportList(request: AppRequest, ctx: AppContext, c: Console): Promise<Response> {
	const url = new URL(request.url);
	const resolved = url.searchParams.get("status") === "resolved";
	const maxId = url.searchParams.get("max_id") ?? undefined;
	const list = await listReports(ctx.db, {
		resolved,
		maxId: maxId && isId(maxId) ? maxId : undefined,
		limit: PAGE_SIZE,
	});
	const accounts = await findAccounts(
		ctx.db,
		list.flatMap((r) => [r.accountId, r.targetAccountId, ...(r.assignedAccountId ? [r.assignedAccountId] : [])]),
	);
	const last = list[list.length - 1];
	const body = html`<p class="tabs"><a href="/admin/reports"${resolved ? "" : html` aria-current="page"`}>Open</a> <a href="/admin/reports?status=resolved"${resolved ? html` aria-current="page"` : ""}>Resolved</a></p>
${
	list.length === 0
		? html`<p>${resolved ? "No resolved reports." : "No open reports. All clear."}</p>`
		: html`<div class="table-wrap"><table><thead><tr><th>Report</th><th>Reported</th><th>By</th><th>Category</th><th>Comment</th><th>Assigned</th><th>Filed</th></tr></thead><tbody>
${list.map(
	(r) =>
		html`<tr><td><a href="/admin/reports/${r.id}">#${r.id.slice(-6)}</a></td><td>${who(accounts.get(r.targetAccountId))}</td><td>${who(accounts.get(r.accountId))}</td><td>${r.category}</td><td>${excerpt(r.comment)}</td><td>${r.assignedAccountId ? who(accounts.get(r.assignedAccountId)) : "—"}</td><td>${formatTime(r.createdAt)}</td></tr>`,
)}</tbody></table></div>
${list.length === PAGE_SIZE && last ? html`<p><a href="/admin/reports?${resolved ? "status=resolved&" : ""}max_id=${last.id}">Older reports</a></p>` : ""}`
}`;
	return consolePage(request, ctx, c, resolved ? "Resolved reports" : "Open reports", body);
}

function statusBlock(status: MastodonStatus | undefined, snapshot: ReportedStatusSnapshot | undefined): SafeHtml {
	if (status) {
		return html`<article class="post"><p class="meta">${status.visibility} · ${formatTime(new Date(status.created_at))}${status.url ? html` · <a href="${status.url}">original</a>` : ""}</p>
${status.spoiler_text ? html`<p><strong>CW: ${status.spoiler_text}</strong></p>` : ""}
<div>${new Safe(status.content)}</div>
${status.media_attachments.length > 0 ? html`<ul>${status.media_attachments.map((m) => html`<li>${m.type}: ${m.url ? html`<a href="${m.url}">${m.description || m.url}</a>` : "not available"}</li>`)}</ul>` : ""}</article>`;
	}
	if (snapshot) {
		return html`<article class="post gone"><p class="meta">Deleted since it was reported; as it was then: ${snapshot.visibility} · ${formatTime(new Date(snapshot.createdAt))}</p>
${snapshot.spoilerText ? html`<p><strong>CW: ${snapshot.spoilerText}</strong></p>` : ""}
<div>${new Safe(snapshot.content)}</div>
${snapshot.media.length > 0 ? html`<ul>${snapshot.media.map((m) => html`<li>${m.type}: ${m.url ? html`<a href="${m.url}">${m.description || m.url}</a>` : "not available"}</li>`)}</ul>` : ""}</article>`;
	}
	return html`<article class="post gone"><p class="meta">This post is gone and no copy was kept.</p></article>`;
}

async function reportDetail(request: AppRequest, ctx: AppContext, c: Console, report: Report): Promise<Response> {
	const [accounts, statuses, notes, rules] = await Promise.all([
		findAccounts(
			ctx.db,
			[report.accountId, report.targetAccountId, report.assignedAccountId, report.actionTakenByAccountId].filter(
				(id): id is string => !!id,
			),
		),
		report.statusIds.length > 0
			? loadStatusViews(ctx.db, ctx.config, null, report.statusIds, { moderator: true })
			: Promise.resolve([]),
		reportNotesOf(ctx.db, report.id),
		report.ruleIds.length > 0 ? listRules(ctx.db) : Promise.resolve([]),
	]);
	const noteAuthors = await findAccounts(
		ctx.db,
		notes.flatMap((n) => (n.accountId ? [n.accountId] : [])),
	);
	const target = accounts.get(report.targetAccountId);
	const byId = new Map(statuses.map((s) => [s.id, s]));
	const snapshots = new Map(report.statusSnapshots.map((s) => [s.id, s]));
	const local = target?.domain === null;
	const actions = (
		["none", "sensitive", "silence", "suspend", ...(local ? ["disable"] : [])] as AccountActionType[]
	).filter((a) => local || a !== "none");
	const path = `/admin/reports/${report.id}`;
	const body = html`<dl class="facts">
<dt>Reported account</dt><dd>${target ? html`<a href="/admin/accounts/${target.id}">${who(target)}</a>${target.suspendedAt ? " (suspended)" : target.silencedAt ? " (limited)" : ""}` : "(gone)"}</dd>
<dt>Reported by</dt><dd>${who(accounts.get(report.accountId))}</dd>
<dt>Category</dt><dd>${report.category}${rules.length > 0 ? html`: ${rules.filter((r) => report.ruleIds.includes(r.id)).map((r) => html`<span class="rule">${r.text}</span> `)}` : ""}</dd>
<dt>Comment</dt><dd>${report.comment || "(none)"}</dd>
<dt>Filed</dt><dd>${formatTime(report.createdAt)}${report.forwarded ? " · forwarded to the account's server" : ""}</dd>
<dt>State</dt><dd>${report.actionTakenAt ? html`Resolved ${formatTime(report.actionTakenAt)} by ${who(accounts.get(report.actionTakenByAccountId ?? ""))}` : "Open"}</dd>
<dt>Assigned</dt><dd>${report.assignedAccountId ? who(accounts.get(report.assignedAccountId)) : "Nobody"}
${report.assignedAccountId === c.moderator.accountId ? actionButton(c, path, "Unassign", { op: "unassign" }, "secondary") : actionButton(c, path, "Assign to me", { op: "assign" }, "secondary")}</dd>
</dl>
<h2>Reported posts</h2>
${report.statusIds.length === 0 ? html`<p>No posts were attached.</p>` : report.statusIds.map((id) => statusBlock(byId.get(id), snapshots.get(id)))}
<h2>${report.actionTakenAt ? "Reopen" : "Resolve"}</h2>
${
	report.actionTakenAt
		? actionButton(c, path, "Reopen this report", { op: "reopen" }, "secondary")
		: html`<form method="post" action="${path}" class="stack">${csrfField(c)}<input type="hidden" name="op" value="act">
<label for="action">Action on ${who(target)}</label>
<select id="action" name="action">
<option value="resolve">Resolve without action</option>
${actions.map((a) => html`<option value="${a}">${ACTION_LABELS[a]}</option>`)}
</select>
${
	local
		? html`<label for="text">Message to the member (shown with the decision)</label><textarea id="text" name="text" maxlength="5000"></textarea>
<label class="check"><input type="checkbox" name="notify" value="1" checked> Notify the member</label>`
		: ""
}
<label for="note">Note for moderators (why)</label><textarea id="note" name="note" maxlength="5000"></textarea>
<button type="submit">Resolve</button></form>`
}
<h2>Notes</h2>
${notes.length === 0 ? html`<p>No notes yet.</p>` : html`<ul class="notes">${notes.map((n) => html`<li><p>${n.content}</p><p class="meta">${who(noteAuthors.get(n.accountId ?? ""))} · ${formatTime(n.createdAt)}</p></li>`)}</ul>`}
<form method="post" action="${path}" class="stack">${csrfField(c)}<input type="hidden" name="op" value="note">
<label for="new-note">Add a note</label><textarea id="new-note" name="note" maxlength="5000" required></textarea>
<button type="submit" class="secondary">Add note</button></form>`;
	return consolePage(request, ctx, c, `Report #${report.id.slice(-6)}`, body);
}

async function reportFromPath(request: AppRequest, ctx: AppContext): Promise<Report | undefined> {
	const id = request.params.id ?? "";
	return isId(id) ? findReport(ctx.db, id) : undefined;
}

export function reportPageRoutes(router: AppRouter): void {
	router.get("/admin/reports", async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageReports");
		if (c instanceof Response) return c;
		return reportList(request, ctx, c);
	});

	router.get("/admin/reports/:id", async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageReports");
		if (c instanceof Response) return c;
		const report = await reportFromPath(request, ctx);
		if (!report) return refusedPage(ctx, 404, "Not found", "There is no such report.");
		return reportDetail(request, ctx, c, report);
	});

	router.post("/admin/reports/:id", async (request, ctx) => {
		const opened = await openConsoleForm(request, ctx, "manageReports");
		if (opened instanceof Response) return opened;
		const { console: c, params } = opened;
		const report = await reportFromPath(request, ctx);
		if (!report) return refusedPage(ctx, 404, "Not found", "There is no such report.");
		const path = `/admin/reports/${report.id}`;
		try {
			switch (params.string("op")) {
				case "assign":
					await assignReport(ctx, c.moderator, report);
					return seeOther(path, "Assigned to you.");
				case "unassign":
					await unassignReport(ctx, c.moderator, report);
					return seeOther(path, "Unassigned.");
				case "reopen":
					await reopenReport(ctx, c.moderator, report, params.string("note") ?? "");
					return seeOther(path, "Reopened.");
				case "note":
					await addReportNote(ctx, c.moderator, report, params.string("note") ?? "");
					return seeOther(path, "Note added.");
				case "act": {
					const action = params.string("action") ?? "";
					const note = params.string("note") ?? "";
					if (action === "resolve") {
						await resolveReport(ctx, c.moderator, report, note);
						return seeOther(path, "Resolved without action.");
					}
					const [target] = (await findAccounts(ctx.db, [report.targetAccountId])).values();
					if (!target) return seeOther(path, "The reported account is gone.");
					if (!c.can("manageUsers")) {
						return refusedPage(ctx, 403, "Not allowed", "Your role does not allow actions on accounts.");
					}
					await performAccountAction(ctx, c.moderator, target, {
						type: action as AccountActionType,
						text: params.string("text") ?? "",
						note,
						reportId: report.id,
						notify: params.boolean("notify") === true,
					});
					return seeOther(path, `Resolved: ${ACTION_LABELS[action as AccountActionType] ?? action} on ${who(target)}.`);
				}
				default:
					return seeOther(path, "Nothing to do.");
			}
		} catch (error) {
			const message = userError(error);
			if (message) return seeOther(path, message);
			throw error;
		}
	});
}
