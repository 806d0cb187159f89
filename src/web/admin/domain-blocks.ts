import { DOMAIN_BLOCK_SEVERITIES, type DomainBlock, type DomainBlockSeverity } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import type { Params } from "../../http/params";
import type { AppRouter } from "../../http/router";
import { isId } from "../../lib/ids";
import {
	type BlocklistPreview,
	exportBlocklist,
	importBlocklist,
	type PreviewAction,
	previewBlocklist,
} from "../../services/moderation/blocklist";
import {
	createDomainAllow,
	findDomainAllow,
	listDomainAllows,
	removeDomainAllow,
	setLimitedFederation,
} from "../../services/moderation/domain-allows";
import {
	createDomainBlock,
	DomainBlockConflict,
	findDomainBlock,
	listDomainBlocks,
	removeDomainBlock,
	updateDomainBlock,
} from "../../services/moderation/domain-blocks";
import { domainPolicy } from "../../services/moderation/domain-policy";
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

/** A blocklist file is small text; this is far above the largest lists in circulation. */
const CSV_MAX_BYTES = 2 * 1024 * 1024;
const LIST_PATH = "/admin/domain_blocks";

function severityOptions(current: DomainBlockSeverity): SafeHtml {
	const labels: Record<DomainBlockSeverity, string> = {
		silence: "Limit (silence)",
		suspend: "Suspend",
		noop: "None (only the options below)",
	};
	return html`${DOMAIN_BLOCK_SEVERITIES.map((s) => html`<option value="${s}"${s === current ? html` selected` : ""}>${labels[s]}</option>`)}`;
}

function blockFields(block?: DomainBlock): SafeHtml {
	const check = (name: string, label: string, on: boolean | undefined) =>
		html`<label class="check"><input type="checkbox" name="${name}" value="1"${on ? html` checked` : ""}> ${label}</label>`;
	return html`<label for="severity">Severity</label><select id="severity" name="severity">${severityOptions(block?.severity ?? "silence")}</select>
${check("reject_media", "Reject media (avatars, headers, attachments, emojis)", block?.rejectMedia)}
${check("reject_reports", "Reject reports from this domain", block?.rejectReports)}
${check("obfuscate", "Obfuscate the domain in public lists", block?.obfuscate)}
<label for="public_comment">Public comment</label><input id="public_comment" type="text" name="public_comment" maxlength="1000" value="${block?.publicComment ?? ""}">
<label for="private_comment">Private comment (moderators only)</label><input id="private_comment" type="text" name="private_comment" maxlength="1000" value="${block?.privateComment ?? ""}">`;
}

function readBlockFields(params: Params) {
	const severity = params.string("severity") ?? "silence";
	return {
		severity: (DOMAIN_BLOCK_SEVERITIES as readonly string[]).includes(severity)
			? (severity as DomainBlockSeverity)
			: "silence",
		rejectMedia: params.boolean("reject_media") === true,
		rejectReports: params.boolean("reject_reports") === true,
		obfuscate: params.boolean("obfuscate") === true,
		publicComment: params.string("public_comment", { maxLength: 1000 }) ?? "",
		privateComment: params.string("private_comment", { maxLength: 1000 }) ?? "",
	};
}

function describe(block: DomainBlock): string {
	const parts: string[] = [block.severity === "noop" ? "no severity" : block.severity];
	if (block.rejectMedia) parts.push("media rejected");
	if (block.rejectReports) parts.push("reports rejected");
	if (block.obfuscate) parts.push("obfuscated");
	return parts.join(", ");
}

async function listPage(request: AppRequest, ctx: AppContext, c: Console): Promise<Response> {
	const [blocks, allows, policy] = await Promise.all([
		listDomainBlocks(ctx.db),
		listDomainAllows(ctx.db),
		domainPolicy(ctx),
	]);
	const body = html`<h2>Block a domain</h2>
<form method="post" action="${LIST_PATH}" class="stack">${csrfField(c)}
<label for="domain">Domain</label><input id="domain" type="text" name="domain" required maxlength="253" placeholder="example.com">
${blockFields()}
<button type="submit">Block</button></form>
<h2>Blocklist file</h2>
<p>Mastodon's CSV format: <code>#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate</code>.</p>
<p><a href="${LIST_PATH}/export.csv">Export the blocks as CSV</a></p>
<form method="post" action="${LIST_PATH}/import" enctype="multipart/form-data" class="stack">${csrfField(c)}
<label for="file">Import a CSV (you see what would change before anything does)</label><input id="file" type="file" name="file" accept=".csv,text/csv" required>
<button type="submit" class="secondary">Preview import</button></form>
<h2>Blocked domains (${blocks.length})</h2>
${
	blocks.length === 0
		? html`<p>No domain is blocked.</p>`
		: html`<div class="table-wrap"><table><thead><tr><th>Domain</th><th>Block</th><th>Public comment</th><th>Since</th><th></th></tr></thead><tbody>
${blocks.map(
	(b) =>
		html`<tr><td><a href="${LIST_PATH}/${b.id}">${b.domain}</a></td><td>${describe(b)}</td><td>${b.publicComment ?? ""}</td><td>${formatTime(b.createdAt)}</td><td>${actionButton(c, `${LIST_PATH}/${b.id}/delete`, "Unblock", {}, "secondary")}</td></tr>`,
)}</tbody></table></div>`
}
<h2>Limited federation</h2>
<p>${policy.limited ? "On: only the domains below federate with this server." : "Off: every domain not blocked federates."}</p>
${actionButton(c, `${LIST_PATH}/limited`, policy.limited ? "Turn limited federation off" : "Turn limited federation on", { limited: policy.limited ? "0" : "1" }, "secondary")}
<form method="post" action="${LIST_PATH}/allows" class="inline-form">${csrfField(c)}
<label for="allow">Allow a domain</label><input id="allow" type="text" name="domain" required maxlength="253">
<button type="submit" class="secondary">Allow</button></form>
${allows.length > 0 ? html`<ul>${allows.map((a) => html`<li>${a.domain} ${actionButton(c, `${LIST_PATH}/allows/${a.id}/delete`, "Remove", {}, "secondary")}</li>`)}</ul>` : html`<p>No domain is on the allow-list.</p>`}`;
	return consolePage(request, ctx, c, "Domain blocks", body);
}

const PREVIEW_LABELS: Record<PreviewAction, string> = {
	add: "will be blocked",
	already_blocked: "already blocked: kept as it is",
	covered_by_parent: "covered by its parent's block: skipped",
	duplicate: "listed twice: the first line counts",
};

function previewPage(request: AppRequest, ctx: AppContext, c: Console, text: string, preview: BlocklistPreview) {
	const adds = preview.rows.filter((r) => r.action === "add");
	const body = html`<p>${adds.length} of ${preview.rows.length} domains would be blocked. Nothing has changed yet.</p>
${preview.truncated > 0 ? html`<p class="error">The file has ${preview.truncated} more lines than the ${preview.rows.length} read; they are left out.</p>` : ""}
<div class="table-wrap"><table><thead><tr><th>Line</th><th>Domain</th><th>Severity</th><th>Options</th><th>What happens</th></tr></thead><tbody>
${preview.rows.map(
	(r) =>
		html`<tr class="${r.action === "add" ? "add" : "skip"}"><td>${r.line}</td><td>${r.domain}</td><td>${r.severity}</td><td>${[r.rejectMedia ? "reject media" : "", r.rejectReports ? "reject reports" : "", r.obfuscate ? "obfuscate" : ""].filter(Boolean).join(", ")}</td><td>${PREVIEW_LABELS[r.action]}${r.existing && r.action !== "add" ? ` (${r.existing.domain}: ${describe(r.existing)})` : ""}</td></tr>`,
)}</tbody></table></div>
${
	adds.length > 0
		? html`<form method="post" action="${LIST_PATH}/import/apply" class="stack">${csrfField(c)}<input type="hidden" name="csv" value="${text}">
<button type="submit">Block ${adds.length} ${adds.length === 1 ? "domain" : "domains"}</button></form>`
		: ""
}<p><a href="${LIST_PATH}">Cancel</a></p>`;
	return consolePage(request, ctx, c, "Import preview", body);
}

async function csvText(params: Params): Promise<string> {
	const file = params.file("file");
	if (file) return new TextDecoder().decode(await file.arrayBuffer());
	return params.string("csv", { maxLength: CSV_MAX_BYTES }) ?? "";
}

async function blockFromPath(request: AppRequest, ctx: AppContext): Promise<DomainBlock | undefined> {
	const id = request.params.id ?? "";
	return isId(id) ? findDomainBlock(ctx.db, id) : undefined;
}

type FormHandler = (request: AppRequest, ctx: AppContext, c: Console, params: Params) => Promise<Response>;

function post(router: AppRouter, path: string, handler: FormHandler, maxBytes?: number): void {
	router.post(path, async (request, ctx) => {
		const opened = await openConsoleForm(request, ctx, "manageFederation", { maxBytes });
		if (opened instanceof Response) return opened;
		try {
			return await handler(request, ctx, opened.console, opened.params);
		} catch (error) {
			const message = userError(error);
			if (message) return seeOther(LIST_PATH, message);
			throw error;
		}
	});
}

export function domainBlockPageRoutes(router: AppRouter): void {
	router.get(LIST_PATH, async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageFederation");
		if (c instanceof Response) return c;
		return listPage(request, ctx, c);
	});

	router.get(`${LIST_PATH}/export.csv`, async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageFederation");
		if (c instanceof Response) return c;
		return new Response(await exportBlocklist(ctx.db), {
			headers: {
				"Content-Type": "text/csv; charset=utf-8",
				"Content-Disposition": `attachment; filename="${ctx.config.domain.replace(/[^a-z0-9.-]/g, "_")}-domain-blocks.csv"`,
				"Cache-Control": "no-store",
			},
		});
	});

	router.get(`${LIST_PATH}/:id`, async (request, ctx) => {
		const c = await openConsole(request, ctx, "manageFederation");
		if (c instanceof Response) return c;
		const block = await blockFromPath(request, ctx);
		if (!block) return refusedPage(ctx, 404, "Not found", "There is no such domain block.");
		const body = html`<form method="post" action="${LIST_PATH}/${block.id}" class="stack">${csrfField(c)}
${blockFields(block)}
<button type="submit">Save</button></form>
<p>Blocked since ${formatTime(block.createdAt)}.</p>
${actionButton(c, `${LIST_PATH}/${block.id}/delete`, "Unblock", {}, "danger")}`;
		return consolePage(request, ctx, c, block.domain, body);
	});

	post(router, LIST_PATH, async (_request, ctx, c, params) => {
		try {
			const block = await createDomainBlock(ctx, c.moderator, {
				domain: params.string("domain", { maxLength: 300 }) ?? "",
				...readBlockFields(params),
			});
			return seeOther(LIST_PATH, `Blocked ${block.domain} (${describe(block)}).`);
		} catch (error) {
			if (error instanceof DomainBlockConflict) return seeOther(LIST_PATH, error.message);
			throw error;
		}
	});

	post(
		router,
		`${LIST_PATH}/import`,
		async (request, ctx, c, params) => {
			const text = await csvText(params);
			return previewPage(request, ctx, c, text, await previewBlocklist(ctx, text));
		},
		CSV_MAX_BYTES + 64 * 1024,
	);

	post(
		router,
		`${LIST_PATH}/import/apply`,
		async (_request, ctx, c, params) => {
			const { added } = await importBlocklist(ctx, c.moderator, await csvText(params));
			return seeOther(LIST_PATH, `Imported: ${added.length} ${added.length === 1 ? "domain" : "domains"} blocked.`);
		},
		CSV_MAX_BYTES + 64 * 1024,
	);

	post(router, `${LIST_PATH}/limited`, async (_request, ctx, c, params) => {
		const on = params.boolean("limited") === true;
		await setLimitedFederation(ctx, c.moderator, on);
		return seeOther(LIST_PATH, on ? "Limited federation is on." : "Limited federation is off.");
	});

	post(router, `${LIST_PATH}/allows`, async (_request, ctx, c, params) => {
		const allow = await createDomainAllow(ctx, c.moderator, params.string("domain", { maxLength: 300 }) ?? "");
		return seeOther(LIST_PATH, `Allowed ${allow.domain}.`);
	});

	post(router, `${LIST_PATH}/allows/:id/delete`, async (request, ctx, c) => {
		const id = request.params.id ?? "";
		const allow = isId(id) ? await findDomainAllow(ctx.db, id) : undefined;
		if (!allow) return seeOther(LIST_PATH, "That allowed domain is gone.");
		await removeDomainAllow(ctx, c.moderator, allow);
		return seeOther(LIST_PATH, `Removed ${allow.domain} from the allow-list.`);
	});

	post(router, `${LIST_PATH}/:id/delete`, async (request, ctx, c) => {
		const block = await blockFromPath(request, ctx);
		if (!block) return seeOther(LIST_PATH, "That block is gone.");
		await removeDomainBlock(ctx, c.moderator, block);
		return seeOther(LIST_PATH, `Unblocked ${block.domain}.`);
	});

	post(router, `${LIST_PATH}/:id`, async (request, ctx, c, params) => {
		const block = await blockFromPath(request, ctx);
		if (!block) return seeOther(LIST_PATH, "That block is gone.");
		const updated = await updateDomainBlock(ctx, c.moderator, block, readBlockFields(params));
		return seeOther(LIST_PATH, `Saved ${updated.domain} (${describe(updated)}).`);
	});
}
