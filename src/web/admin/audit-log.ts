import type { AppRouter } from "../../http/router";
import { isId } from "../../lib/ids";
import { handleOf, listAuditLog } from "../../services/moderation/audit-log";
import { html } from "../html";
import { consolePage, formatTime, openConsole } from "./console";

const PAGE_SIZE = 50;

/** Who did what to what, when and why: every moderation and administration action, newest first. */
export function auditLogPageRoutes(router: AppRouter): void {
	router.get("/admin/audit_log", async (request, ctx) => {
		const c = await openConsole(request, ctx, "viewAuditLog");
		if (c instanceof Response) return c;
		const maxId = new URL(request.url).searchParams.get("max_id");
		const entries = await listAuditLog(ctx.db, { maxId: maxId && isId(maxId) ? maxId : undefined, limit: PAGE_SIZE });
		const last = entries[entries.length - 1];
		const body =
			entries.length === 0
				? html`<p>Nothing has been done yet.</p>`
				: html`<div class="table-wrap"><table class="log"><thead><tr><th>When</th><th>Who</th><th>Did</th><th>To</th><th>Why</th></tr></thead><tbody>
${entries.map(
	({ log, moderator }) =>
		html`<tr><td>${formatTime(log.createdAt)}</td><td>${moderator ? `@${handleOf(moderator)}` : log.accountId ? "(account gone)" : "CLI"}</td><td>${log.action.replace(/_/g, " ")}</td><td>${log.targetType} ${log.humanIdentifier}</td><td>${log.note}</td></tr>`,
)}</tbody></table></div>
${entries.length === PAGE_SIZE && last ? html`<p><a href="/admin/audit_log?max_id=${last.log.id}">Older entries</a></p>` : ""}`;
		return consolePage(request, ctx, c, "Audit log", body);
	});
}
