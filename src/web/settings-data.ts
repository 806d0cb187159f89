import type { DataExport, DataImport } from "../db/schema";
import type { AppContext, AppRequest } from "../http/context";
import { badRequest, notFound } from "../http/errors";
import { readParams } from "../http/params";
import { json } from "../http/responses";
import type { AppRouter } from "../http/router";
import { ValidationError } from "../lib/errors";
import { EXPORT_INTERVAL_MS, latestExport, requestArchiveExport } from "../services/portability/archive-export";
import {
	ARCHIVE_PART_SIZE,
	completeArchiveUpload,
	startArchiveUpload,
	uploadArchivePart,
} from "../services/portability/archive-upload";
import { CSV_EXPORTS, exportCounts, exportCsv, isCsvExportKind } from "../services/portability/csv-exports";
import { CSV_IMPORT_TYPES, isCsvImportType } from "../services/portability/csv-import-files";
import { exportFilename, exportStream } from "../services/portability/finished-exports";
import {
	createCsvImport,
	findImport,
	importProblems,
	importProgress,
	recentImports,
} from "../services/portability/imports";
import { hidden, html, type SafeHtml } from "./html";
import {
	formatBytes,
	type SettingsRequest,
	seeOther,
	settingsNav,
	settingsPage,
	settingsSession,
	tokenValid,
} from "./settings-common";
import { DATA_PAGE_SCRIPT } from "./settings-data-script";

const IMPORT_LABELS: Record<string, string> = {
	following: "Following list",
	blocking: "Blocking list",
	muting: "Muting list",
	domain_blocking: "Domain blocking list",
	bookmarks: "Bookmarks",
	lists: "Lists",
	archive: "Posts from an archive",
};

const EXPORT_LABELS: Record<string, string> = {
	follows: "Follows",
	lists: "Lists",
	blocks: "You block",
	mutes: "You mute",
	domain_blocks: "Domain blocks",
	bookmarks: "Bookmarks",
};

function exportSection(latest: DataExport | undefined, now: number, csrf: string): SafeHtml {
	const canAsk = !latest || latest.state === "failed" || now - latest.createdAt.getTime() >= EXPORT_INTERVAL_MS;
	let state: SafeHtml | string = "";
	if (latest?.state === "running")
		state = html`<p id="export-state" data-state="running">Your archive is being prepared. Reload this page in a while.</p>`;
	if (latest?.state === "done" && latest.expiresAt && latest.expiresAt.getTime() > now) {
		state = html`<p id="export-state" data-state="done"><a id="export-download" href="/settings/data/export/${latest.id}/download">Download your archive</a> (${formatBytes(latest.size)}, until ${latest.expiresAt.toISOString().slice(0, 10)})</p>`;
	}
	if (latest?.state === "failed")
		state = html`<p class="error">The last archive could not be made: ${latest.error ?? "unknown error"}</p>`;
	return html`<section><h2>Your archive</h2>
<p>A zip of your posts, media, likes, bookmarks and profile in Mastodon's format. You can ask for one a day; each is kept for a week.</p>
${state}
${canAsk ? html`<form method="post" action="/settings/data/export" class="inline">${hidden({ authenticity_token: csrf })}<button type="submit" id="request-export">Request your archive</button></form>` : html`<p class="notice">You can ask for a new archive a day after the last one.</p>`}
</section>`;
}

function importBox(row: DataImport, problems: Awaited<ReturnType<typeof importProblems>>): SafeHtml {
	const progress = importProgress(row);
	const label = IMPORT_LABELS[row.type] ?? row.type;
	const running = row.state === "queued" || row.state === "running";
	const uploading = row.state === "uploading";
	return html`<div class="import" id="import-${row.id}" ${running ? html`data-import="${row.id}"` : ""} data-state="${row.state}">
<p><strong>${label}</strong>${row.originalFilename ? html` (${row.originalFilename})` : ""}${row.overwrite ? " — overwrite" : ""}: ${
		uploading
			? "waiting for the upload to finish"
			: running
				? "importing"
				: row.state === "done"
					? "finished"
					: "failed"
	}</p>
<progress max="100" value="${progress.percent}"></progress> <span class="progress-label">${progress.percent} % (${progress.processed_items} of ${progress.total_items})</span>
${row.state === "done" ? html`<p class="summary">${progress.imported_items} imported, ${progress.failed_items} not imported${typeof row.progress.duplicates === "number" && row.progress.duplicates > 0 ? html`, ${row.progress.duplicates} already there` : ""}.</p>` : ""}
${row.error ? html`<p class="error">${row.error}</p>` : ""}
${
	problems.length > 0
		? html`<details${row.state === "done" ? " open" : ""}><summary>What was not imported, and why</summary><ul class="problems">${problems.map(
				(p) => html`<li><code>${p.item}</code> — ${p.state === "imported" ? "imported, but: " : ""}${p.reason}</li>`,
			)}</ul></details>`
		: ""
}
</div>`;
}

async function dataPage(request: AppRequest, ctx: AppContext, settings: SettingsRequest, error?: string, status = 200) {
	const account = settings.session.account;
	const [latest, counts, imports] = await Promise.all([
		latestExport(ctx.db, account.id),
		exportCounts(ctx.db, account.id),
		recentImports(ctx.db, account.id, 5),
	]);
	const focus = new URL(request.url).searchParams.get("import");
	const shown = imports.filter((row) => row.id === focus || row.state !== "done" || imports.indexOf(row) === 0);
	const boxes = await Promise.all(shown.map(async (row) => importBox(row, await importProblems(ctx.db, row.id))));
	const csvRows = Object.entries(CSV_EXPORTS).map(
		([kind]) =>
			html`<tr><td>${EXPORT_LABELS[kind]}</td><td>${counts[kind as keyof typeof CSV_EXPORTS] ?? 0}</td><td><a href="/settings/data/csv/${kind}" download>CSV</a></td></tr>`,
	);
	const body = html`<div class="settings" data-csrf="${settings.csrf}">
${settingsNav("/settings/data")}
<h1>Import and export</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
${exportSection(latest, Date.now(), settings.csrf)}
<section><h2>Lists as CSV</h2>
<p>${counts.statuses} posts, ${formatBytes(counts.media_bytes)} of media.</p>
<table class="exports"><tbody>${csvRows}</tbody></table></section>
<section><h2>Imports</h2>${boxes.length > 0 ? boxes : html`<p class="notice">No imports yet.</p>`}</section>
<section><h2>Import a CSV file</h2>
<form method="post" action="/settings/data/import" enctype="multipart/form-data" id="csv-form">
${hidden({ authenticity_token: settings.csrf })}
<label for="import-type">What it holds</label>
<select id="import-type" name="type">${CSV_IMPORT_TYPES.map((type) => html`<option value="${type}">${IMPORT_LABELS[type]}</option>`)}</select>
<fieldset><legend>Mode</legend>
<label><input type="radio" name="mode" value="merge" checked> Merge: keep what you have and add the file's</label>
<label><input type="radio" name="mode" value="overwrite"> Overwrite: replace what you have with the file's</label></fieldset>
<label for="import-file">CSV file (as Mastodon exports it)</label><input id="import-file" type="file" name="data" accept=".csv,text/csv" required>
<button type="submit">Upload</button></form></section>
<section><h2>Import posts from a Mastodon archive</h2>
<p>Your posts come in with their original dates, content warnings, polls, media and threads; they show on your profile with a link to where they were first published, and are not sent to your followers as new.</p>
<form id="archive-form"><label for="archive-file">Archive (.zip)</label><input id="archive-file" type="file" accept=".zip,application/zip" required>
<button type="submit">Upload and import</button></form>
<progress id="archive-upload" max="100" value="0" hidden></progress> <span id="archive-status" role="status"></span></section>
</div><script src="/settings/data.js"></script>`;
	return settingsPage(ctx, "Import and export", body, { status, script: "data" });
}

async function withSettings(
	request: AppRequest,
	ctx: AppContext,
	handler: (settings: SettingsRequest) => Promise<Response>,
): Promise<Response> {
	const settings = await settingsSession(request, ctx);
	if (settings instanceof Response) return settings;
	return handler(settings);
}

/** For the script's JSON calls: the session, and the token in its header. */
async function scriptCall(
	request: AppRequest,
	ctx: AppContext,
	handler: (settings: SettingsRequest) => Promise<Response>,
): Promise<Response> {
	const settings = await settingsSession(request, ctx);
	if (settings instanceof Response) return json({ error: "Sign in first" }, { status: 401 });
	if (!(await tokenValid(request, settings, undefined))) {
		return json({ error: "The page expired or did not come from this site; reload it" }, { status: 403 });
	}
	try {
		return await handler(settings);
	} catch (error) {
		if (error instanceof ValidationError) return json({ error: error.message }, { status: 422 });
		throw error;
	}
}

async function ownImport(ctx: AppContext, settings: SettingsRequest, id: string | undefined) {
	const row = id ? await findImport(ctx.db, settings.session.account.id, id) : undefined;
	if (!row) throw notFound();
	return row;
}

export function settingsDataRoutes(router: AppRouter): void {
	router.get("/settings/data", (request, ctx) => withSettings(request, ctx, (s) => dataPage(request, ctx, s)));

	router.get(
		"/settings/data.js",
		() =>
			new Response(DATA_PAGE_SCRIPT, {
				headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" },
			}),
	);

	router.post("/settings/data/export", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const params = await readParams(request);
			if (!(await tokenValid(request, settings, params.string("authenticity_token")))) {
				return dataPage(request, ctx, settings, "The form expired; try again.", 403);
			}
			try {
				await requestArchiveExport(ctx, settings.session.account);
			} catch (error) {
				if (error instanceof ValidationError) return dataPage(request, ctx, settings, error.message, 422);
				throw error;
			}
			return seeOther("/settings/data");
		}),
	);

	router.get("/settings/data/export/:id/download", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const row = await latestExport(ctx.db, settings.session.account.id);
			if (
				!row ||
				row.id !== request.params.id ||
				row.state !== "done" ||
				(row.expiresAt?.getTime() ?? 0) < Date.now()
			) {
				throw notFound("No such archive, or it has expired");
			}
			return new Response(exportStream(ctx.env.MEDIA, row), {
				headers: {
					"Content-Type": "application/zip",
					"Content-Length": String(row.size),
					"Content-Disposition": `attachment; filename="${exportFilename(row)}"`,
					"Cache-Control": "no-store",
				},
			});
		}),
	);

	router.get("/settings/data/csv/:kind", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const kind = request.params.kind ?? "";
			if (!isCsvExportKind(kind)) throw notFound();
			const text = await exportCsv(ctx.db, ctx.config, settings.session.account.id, kind);
			return new Response(text, {
				headers: {
					"Content-Type": "text/csv; charset=utf-8",
					"Content-Disposition": `attachment; filename="${CSV_EXPORTS[kind]}"`,
					"Cache-Control": "no-store",
				},
			});
		}),
	);

	router.post("/settings/data/import", (request, ctx) =>
		withSettings(request, ctx, async (settings) => {
			const params = await readParams(request, { maxBytes: 21 * 1024 * 1024 });
			if (!(await tokenValid(request, settings, params.string("authenticity_token")))) {
				return dataPage(request, ctx, settings, "The form expired; try again.", 403);
			}
			const type = params.string("type") ?? "";
			const file = params.file("data");
			if (!isCsvImportType(type)) return dataPage(request, ctx, settings, "Choose what the file holds.", 422);
			if (!file) return dataPage(request, ctx, settings, "Choose a CSV file.", 422);
			try {
				const created = await createCsvImport(ctx, settings.session.account, {
					type,
					overwrite: params.string("mode") === "overwrite",
					filename: file.name || null,
					file,
				});
				return seeOther(`/settings/data?import=${created.import.id}`);
			} catch (error) {
				if (error instanceof ValidationError) return dataPage(request, ctx, settings, error.message, 422);
				throw error;
			}
		}),
	);

	router.get("/settings/data/imports/:id", async (request, ctx) => {
		const settings = await settingsSession(request, ctx);
		if (settings instanceof Response) return json({ error: "Sign in first" }, { status: 401 });
		const row = await ownImport(ctx, settings, request.params.id);
		return json(importProgress(row), { headers: { "Cache-Control": "no-store" } });
	});

	router.post("/settings/data/archive/uploads", (request, ctx) =>
		scriptCall(request, ctx, async (settings) => {
			const params = await readParams(request);
			const size = params.integer("size", { min: 1 });
			if (size === undefined) throw badRequest("size is required");
			const row = await startArchiveUpload(ctx, settings.session.account, {
				filename: params.string("filename", { maxLength: 255 }) ?? null,
				size,
			});
			return json({ id: row.id, part_size: ARCHIVE_PART_SIZE, parts: Number(row.progress.parts) });
		}),
	);

	router.put("/settings/data/archive/uploads/:id/parts/:part", (request, ctx) =>
		scriptCall(request, ctx, async (settings) => {
			const row = await ownImport(ctx, settings, request.params.id);
			if (!request.body) throw badRequest("The part has no body");
			const part = await uploadArchivePart(ctx.env.MEDIA, row, Number(request.params.part), request.body);
			return json({ partNumber: part.partNumber, etag: part.etag });
		}),
	);

	router.post("/settings/data/archive/uploads/:id/complete", (request, ctx) =>
		scriptCall(request, ctx, async (settings) => {
			const row = await ownImport(ctx, settings, request.params.id);
			const params = await readParams(request);
			const parts = (params.objectList("parts") ?? []).map((part) => ({
				partNumber: part.integer("partNumber", { min: 1 }) ?? 0,
				etag: part.string("etag") ?? "",
			}));
			if (parts.length !== Number(row.progress.parts) || parts.some((p) => !p.partNumber || !p.etag)) {
				throw new ValidationError("parts", "Every part must be uploaded before the upload is finished");
			}
			await completeArchiveUpload(ctx, row, parts);
			return json({ id: row.id });
		}),
	);
}
