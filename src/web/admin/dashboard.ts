import type { AppContext, AppRequest } from "../../http/context";
import type { AppRouter } from "../../http/router";
import { isId } from "../../lib/ids";
import { dashboardCounts, databaseSize, failingDomains } from "../../services/moderation/dashboard";
import {
	describeDeadLetter,
	findDeadLetter,
	listDeadLetters,
	replayDeadLetter,
	sendHeldMessages,
	UnknownQueueError,
} from "../../services/moderation/dead-letters";
import type { BilledUsage } from "../../services/usage/pricing";
import { type UsageReport, usageReport } from "../../services/usage/report";
import { html, type SafeHtml } from "../html";
import { actionButton, type Console, consolePage, formatTime, openConsole, openConsoleForm, seeOther } from "./console";

function bytes(size: number | null): string {
	if (size === null) return "not reported";
	if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
	return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}

/** What the Worker bills by, in the order Cloudflare's invoice lists it. */
const USAGE_LINES: [keyof BilledUsage, string][] = [
	["requests", "Worker invocations"],
	["cpuMs", "Worker CPU (ms, estimated)"],
	["d1RowsRead", "D1 rows read"],
	["d1RowsWritten", "D1 rows written"],
	["queueOperations", "Queue operations"],
	["r2ClassA", "R2 writes (class A)"],
	["r2ClassB", "R2 reads (class B)"],
	["imagesTransformations", "Image transformations"],
	["doRequests", "Durable Object requests"],
];

const amount = (value: number) => Math.round(value).toLocaleString("en-US");
const usd = (value: number) => `$${value.toFixed(2)}`;

/**
 * This month's counted usage, the month projected at the same daily rate and
 * the bill the Paid plan would send for it, beside what the cost model
 * predicts for this many members (src/services/usage/report.ts).
 */
function usageSection(report: UsageReport): SafeHtml {
	const model = report.model;
	const monthOfModel = (key: keyof BilledUsage) => (model ? amount(model.daily[key] * report.daysInMonth) : "—");
	const busiest = Math.max(...Object.values(report.today.freeShares));
	return html`<p>${report.month}, day ${report.daysElapsed} of ${report.daysInMonth}. Counted by the Worker itself; CPU is the cost model's per-request figure times the invocations counted, since a Worker cannot time itself in production.</p>
<ul class="tiles">
<li><span class="value">${usd(report.projected.paidMonthlyUsd)}</span><span class="label">projected bill this month (Paid plan)</span></li>
<li><span class="value">${model ? usd(model.paidMonthlyUsd) : "—"}</span><span class="label">cost model's bill${model ? ` for ${model.members} ${model.members === 1 ? "member" : "members"}` : ""}</span></li>
<li><span class="value">${Math.round(busiest * 100)}%</span><span class="label">of a Free daily quota used today (the most used)</span></li>
</ul>
<div class="table-wrap"><table class="usage"><thead><tr><th>What</th><th>This month so far</th><th>Projected month</th><th>Cost model's month</th></tr></thead><tbody>
${USAGE_LINES.map(
	([key, label]) =>
		html`<tr><td>${label}</td><td>${amount(report.monthToDate[key])}</td><td>${amount(report.projected.usage[key])}</td><td>${monthOfModel(key)}</td></tr>`,
)}
</tbody><tfoot><tr><th>Paid plan bill</th><td></td><th>${usd(report.projected.paidMonthlyUsd)}</th><th>${model ? usd(model.paidMonthlyUsd) : "—"}</th></tr></tfoot></table></div>
${model ? "" : html`<p class="notice">This build carries no benchmark figures, so there is no cost model to compare with.</p>`}`;
}

async function dashboard(request: AppRequest, ctx: AppContext, c: Console): Promise<Response> {
	const now = new Date();
	const federation = c.can("manageFederation");
	const [counts, failing, letters, size, usage] = await Promise.all([
		dashboardCounts(ctx.db, now),
		federation ? failingDomains(ctx.db) : Promise.resolve([]),
		federation ? listDeadLetters(ctx.db, 20) : Promise.resolve([]),
		federation ? databaseSize(ctx.db) : Promise.resolve(null),
		federation ? usageReport(ctx.db, ctx.env.DB, now.getTime()) : Promise.resolve(null),
	]);
	const tile = (label: string, value: number | string, href?: string) =>
		html`<li><span class="value">${href ? html`<a href="${href}">${value}</a>` : value}</span><span class="label">${label}</span></li>`;
	const body = html`<ul class="tiles">
${tile("members", counts.members, c.can("manageUsers") ? "/admin/accounts?origin=local" : undefined)}
${tile("active this week", counts.activeThisWeek)}
${tile("posts today", counts.postsToday)}
${tile("reports open", counts.openReports, c.can("manageReports") ? "/admin/reports" : undefined)}
${tile("sign-ups waiting", counts.pendingSignUps, c.can("manageUsers") ? "/admin/sign_ups" : undefined)}
</ul>
${
	federation
		? html`<h2>Federation health</h2>
<ul class="tiles">
${tile("deliveries pending", "not counted")}
${tile("servers failing", counts.failingDomains)}
${tile("failed attempts", counts.failedAttempts)}
${tile("dead letters", counts.deadLetters)}
${tile("database size", bytes(size))}
</ul>
<p class="notice">Cloudflare Queues does not tell a Worker how many messages wait, so pending deliveries are not counted here; failed attempts are retried with backoff for about two days, then kept below as dead letters.</p>
<h3>Servers failing or unavailable</h3>
${
	failing.length === 0
		? html`<p>Every server answers.</p>`
		: html`<div class="table-wrap"><table><thead><tr><th>Server</th><th>Failing since</th><th>Failures</th><th>Unavailable since</th><th>Last error</th></tr></thead><tbody>
${failing.map(
	(d) =>
		html`<tr><td>${d.domain}</td><td>${formatTime(d.failingSince)}</td><td>${d.failureCount}</td><td>${d.unavailableSince ? formatTime(d.unavailableSince) : "still tried"}</td><td>${d.lastError ?? "—"}</td></tr>`,
)}</tbody></table></div>`
}
${counts.heldMessages > 0 ? html`<p>${counts.heldMessages} ${counts.heldMessages === 1 ? "message waits" : "messages wait"} to be sent (replays asked for from the command line); the cron sends them every ten minutes. ${actionButton(c, "/admin/dead_letters/send_held", "Send now", {}, "secondary")}</p>` : ""}
<h3>Dead letters</h3>
${
	letters.length === 0
		? html`<p>No dead letters.</p>`
		: html`<div class="table-wrap"><table><thead><tr><th>What</th><th>Queue</th><th>Attempts</th><th>Since</th><th></th></tr></thead><tbody>
${letters.map(
	(letter) =>
		html`<tr><td>${describeDeadLetter(letter)}</td><td>${letter.queue}</td><td>${letter.attempts}</td><td>${formatTime(letter.createdAt)}</td><td>${actionButton(c, `/admin/dead_letters/${letter.id}/replay`, "Replay")}</td></tr>`,
)}</tbody></table></div>`
}
<h2>Usage and cost</h2>
${usage ? usageSection(usage) : ""}`
		: ""
}`;
	return consolePage(request, ctx, c, "Dashboard", body);
}

export function dashboardRoutes(router: AppRouter): void {
	router.get("/admin", async (request, ctx) => {
		const c = await openConsole(request, ctx, "viewDashboard");
		if (c instanceof Response) return c;
		return dashboard(request, ctx, c);
	});

	router.post("/admin/dead_letters/send_held", async (request, ctx) => {
		const opened = await openConsoleForm(request, ctx, "manageFederation");
		if (opened instanceof Response) return opened;
		const sent = await sendHeldMessages(ctx.db, ctx.env);
		return seeOther("/admin", `Sent ${sent} held ${sent === 1 ? "message" : "messages"}.`);
	});

	router.post("/admin/dead_letters/:id/replay", async (request, ctx) => {
		const opened = await openConsoleForm(request, ctx, "manageFederation");
		if (opened instanceof Response) return opened;
		const id = request.params.id ?? "";
		const letter = isId(id) ? await findDeadLetter(ctx.db, id) : undefined;
		if (!letter) return seeOther("/admin", "That dead letter is gone (already replayed?).");
		try {
			await replayDeadLetter(ctx.db, ctx.env, opened.console.moderator, letter);
		} catch (error) {
			if (error instanceof UnknownQueueError) return seeOther("/admin", error.message);
			throw error;
		}
		return seeOther("/admin", `Replayed: ${describeDeadLetter(letter)}.`);
	});
}
