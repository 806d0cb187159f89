import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import type { DomainBlock, DomainBlockSeverity } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { CsvError, parseCsv, toCsv } from "../../lib/text/csv";
import { logActionsStatement, type Moderator } from "./audit-log";
import type { ModerationContext } from "./context";
import { listDomainBlocks } from "./domain-blocks";
import { applyDomainBlocks } from "./domain-effects";
import { domainAndParents, forgetDomainPolicy, hostWithoutPort, normalizeDomain } from "./domain-policy";

/**
 * Blocklists in Mastodon's CSV format, the one its admins trade:
 * `#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate`.
 * Import reads the same header with or without the `#`, in any column order
 * (only `domain` is required), or a bare list of domains (suspended, as
 * Mastodon defaults). As on Mastodon, domains already blocked (or covered by
 * a parent's block) are left as they are; the preview says what would change
 * before anything does, and a malformed file changes nothing.
 */
export const BLOCKLIST_COLUMNS = [
	"#domain",
	"#severity",
	"#reject_media",
	"#reject_reports",
	"#public_comment",
	"#obfuscate",
] as const;

/** As Mastodon's import: a blocklist beyond this is cut off. */
export const BLOCKLIST_ROW_LIMIT = 20_000;

export interface BlocklistEntry {
	line: number;
	domain: string;
	severity: DomainBlockSeverity;
	rejectMedia: boolean;
	rejectReports: boolean;
	publicComment: string | null;
	obfuscate: boolean;
}

export type PreviewAction = "add" | "already_blocked" | "covered_by_parent" | "duplicate";

export interface PreviewRow extends BlocklistEntry {
	action: PreviewAction;
	/** The block that keeps this row from being added. */
	existing?: DomainBlock;
}

export interface BlocklistPreview {
	rows: PreviewRow[];
	/** Rows past BLOCKLIST_ROW_LIMIT, not read. */
	truncated: number;
}

const SEVERITIES: readonly string[] = ["silence", "suspend", "noop"];
const COMMENT_MAX = 1000;

function bool(value: string | undefined, line: number, column: string): boolean {
	const text = (value ?? "").trim().toLowerCase();
	if (text === "" || text === "false" || text === "0" || text === "no") return false;
	if (text === "true" || text === "1" || text === "yes") return true;
	throw new CsvError(line, `${column} must be true or false, not ${JSON.stringify(value)}`);
}

/** Reads a blocklist; throws a ValidationError naming the first bad line. */
export function parseBlocklist(text: string, ownDomain: string): { entries: BlocklistEntry[]; truncated: number } {
	let records: ReturnType<typeof parseCsv>;
	try {
		records = parseCsv(text);
	} catch (error) {
		if (error instanceof CsvError) throw new ValidationError("file", `The CSV is malformed. ${error.message}`);
		throw error;
	}
	if (records.length === 0) throw new ValidationError("file", "The file is empty");
	const first = (records[0]?.fields ?? []).map((f) => f.trim().toLowerCase().replace(/^#/, ""));
	const hasHeader = first.includes("domain");
	const columns = hasHeader ? first : ["domain"];
	if (!hasHeader && first.length > 1) {
		throw new ValidationError(
			"file",
			`Line 1: no header. The first line must name the columns (${BLOCKLIST_COLUMNS.join(",")}), or every line hold one domain`,
		);
	}
	const known = new Set(BLOCKLIST_COLUMNS.map((c) => c.slice(1)));
	const unknown = columns.filter((c) => !known.has(c));
	if (unknown.length > 0) throw new ValidationError("file", `Line 1: unknown column ${unknown.join(", ")}`);
	const body = hasHeader ? records.slice(1) : records;
	const rows = body.slice(0, BLOCKLIST_ROW_LIMIT);
	try {
		const entries = rows.map(({ line, fields }): BlocklistEntry => {
			if (fields.length > columns.length)
				throw new CsvError(line, `${fields.length} fields for ${columns.length} columns`);
			const get = (name: string) => {
				const index = columns.indexOf(name);
				return index >= 0 ? fields[index] : undefined;
			};
			const rawDomain = (get("domain") ?? "").trim();
			const domain = normalizeDomain(rawDomain);
			if (!domain) throw new CsvError(line, `${JSON.stringify(rawDomain)} is not a domain`);
			if (domain === hostWithoutPort(ownDomain)) throw new CsvError(line, "this server's own domain cannot be blocked");
			const severity = (get("severity") ?? "").trim().toLowerCase() || "suspend";
			if (!SEVERITIES.includes(severity)) {
				throw new CsvError(line, `severity must be silence, suspend or noop, not ${JSON.stringify(severity)}`);
			}
			const comment = (get("public_comment") ?? "").trim();
			if (comment.length > COMMENT_MAX) throw new CsvError(line, `public_comment is over ${COMMENT_MAX} characters`);
			return {
				line,
				domain,
				severity: severity as DomainBlockSeverity,
				rejectMedia: bool(get("reject_media"), line, "reject_media"),
				rejectReports: bool(get("reject_reports"), line, "reject_reports"),
				publicComment: comment || null,
				obfuscate: bool(get("obfuscate"), line, "obfuscate"),
			};
		});
		if (entries.length === 0) throw new ValidationError("file", "The file names no domains");
		return { entries, truncated: body.length - rows.length };
	} catch (error) {
		if (error instanceof CsvError) throw new ValidationError("file", error.message);
		throw error;
	}
}

/** What importing would do, row by row, against the blocks there are now. */
export async function previewBlocklist(ctx: ModerationContext, text: string): Promise<BlocklistPreview> {
	const { entries, truncated } = parseBlocklist(text, ctx.config.domain);
	const existing = new Map((await listDomainBlocks(ctx.db)).map((b) => [b.domain, b]));
	const seen = new Set<string>();
	const rows = entries.map((entry): PreviewRow => {
		const own = existing.get(entry.domain);
		if (own) return { ...entry, action: "already_blocked", existing: own };
		const parent = domainAndParents(entry.domain)
			.slice(1)
			.map((d) => existing.get(d))
			.find((b) => b !== undefined);
		if (parent) return { ...entry, action: "covered_by_parent", existing: parent };
		if (seen.has(entry.domain)) return { ...entry, action: "duplicate" };
		seen.add(entry.domain);
		return { ...entry, action: "add" };
	});
	return { rows, truncated };
}

/** Imports a blocklist: every "add" row of its preview becomes a block, applied at once and logged. */
export async function importBlocklist(
	ctx: ModerationContext,
	moderator: Moderator,
	text: string,
): Promise<{ added: DomainBlock[]; preview: BlocklistPreview }> {
	const preview = await previewBlocklist(ctx, text);
	const now = new Date();
	const added: DomainBlock[] = preview.rows
		.filter((row) => row.action === "add")
		.map((row) => ({
			id: newId(now),
			domain: row.domain,
			severity: row.severity,
			rejectMedia: row.rejectMedia,
			rejectReports: row.rejectReports,
			privateComment: null,
			publicComment: row.publicComment,
			obfuscate: row.obfuscate,
			createdAt: now,
			updatedAt: now,
		}));
	if (added.length === 0) return { added, preview };
	// In chunks of one JSON parameter each: a long list stays within D1's limits per statement.
	for (let start = 0; start < added.length; start += 500) {
		const chunk = added.slice(start, start + 500);
		await ctx.db.batch([
			insertBlocksStatement(ctx.db, chunk),
			logActionsStatement(
				ctx.db,
				moderator,
				chunk.map((block) => ({
					action: "create",
					targetType: "DomainBlock",
					targetId: block.id,
					humanIdentifier: block.domain,
					note: `imported from a blocklist: ${block.severity}`,
				})),
				now,
			),
		]);
	}
	forgetDomainPolicy(ctx.env);
	await applyDomainBlocks(ctx, added);
	return { added, preview };
}

function insertBlocksStatement(db: Db, blocks: DomainBlock[]) {
	const rows = blocks.map((b) => ({ ...b, createdAt: b.createdAt.getTime(), updatedAt: b.updatedAt.getTime() }));
	return sqlRun(
		db,
		sql`insert into domain_blocks (id, domain, severity, reject_media, reject_reports, private_comment, public_comment,
			obfuscate, created_at, updated_at)
		select json_extract(value, '$.id'), json_extract(value, '$.domain'), json_extract(value, '$.severity'),
			json_extract(value, '$.rejectMedia'), json_extract(value, '$.rejectReports'), null,
			json_extract(value, '$.publicComment'), json_extract(value, '$.obfuscate'), json_extract(value, '$.createdAt'),
			json_extract(value, '$.updatedAt')
		from json_each(${JSON.stringify(rows)}) where true
		on conflict (domain) do nothing`,
	);
}

/** Every block as Mastodon exports them (private comments stay private). */
export async function exportBlocklist(db: Db): Promise<string> {
	const blocks = await listDomainBlocks(db);
	return toCsv([
		[...BLOCKLIST_COLUMNS],
		...blocks.map((b) => [
			b.domain,
			b.severity,
			String(b.rejectMedia),
			String(b.rejectReports),
			b.publicComment ?? "",
			String(b.obfuscate),
		]),
	]);
}
