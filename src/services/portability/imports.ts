import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { type Account, type DataImport, dataImportRows, dataImports, type ImportType } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { CSV_FILE_SIZE_LIMIT, type CsvImportType, guessedType, readImportFile } from "./csv-import-files";

/** Rows written per insert statement: each row is a small JSON object, well under D1's statement size. */
const ROWS_PER_INSERT = 200;

export const UNFINISHED_IMPORT_STATES = ["uploading", "queued", "running"] as const;

export interface NewCsvImport {
	type: CsvImportType;
	overwrite: boolean;
	filename: string | null;
	file: { size: number; text(): Promise<string> };
}

export interface CreatedImport {
	import: DataImport;
	/** The file's columns or name suggest another type than the one chosen (shown as a warning). */
	likelyMismatched: boolean;
}

/** Refuses a second import while one of the member's imports is still going (an upload left for a day is not). */
export async function assertNoImportRunning(db: Db, accountId: string, now = Date.now()): Promise<void> {
	const running = await db
		.select({ id: dataImports.id })
		.from(dataImports)
		.where(
			and(
				eq(dataImports.accountId, accountId),
				inArray(dataImports.state, [...UNFINISHED_IMPORT_STATES]),
				sql`not (${dataImports.state} = 'uploading' and ${dataImports.updatedAt} < ${now - 24 * 60 * 60 * 1000})`,
			),
		)
		.limit(1);
	if (running.length > 0) {
		throw new ValidationError("data", "Another import is still running; wait until it has finished");
	}
}

/**
 * Stores a CSV import and its rows, then hands it to the jobs queue. The
 * file is checked first (size, shape, row limit); a bad file changes nothing.
 */
export async function createCsvImport(
	ctx: { db: Db; env: Pick<Env, "JOBS_QUEUE">; config: { domain: string } },
	account: Account,
	input: NewCsvImport,
): Promise<CreatedImport> {
	const { db } = ctx;
	if (input.file.size > CSV_FILE_SIZE_LIMIT) {
		throw new ValidationError("data", `The file is too large (at most ${CSV_FILE_SIZE_LIMIT / 1024 / 1024} MB)`);
	}
	const parsed = readImportFile(input.type, await input.file.text());
	for (const row of parsed.rows) {
		if (typeof row.acct === "string") row.key = acctKey(row.acct, ctx.config.domain);
	}
	await assertNoImportRunning(db, account.id);
	const now = new Date();
	const id = newId(now);
	const statements = [
		db
			.insert(dataImports)
			.values({
				id,
				accountId: account.id,
				type: input.type,
				overwrite: input.overwrite,
				state: "queued",
				originalFilename: input.filename,
				totalItems: parsed.rows.length,
				progress: { phase: input.overwrite ? "prune" : "rows" },
				createdAt: now,
				updatedAt: now,
			})
			.returning(),
		...chunk(parsed.rows, ROWS_PER_INSERT).map((rows, index) =>
			sqlRun(
				db,
				sql`insert into data_import_rows (import_id, position, data, state)
				select ${id}, ${index * ROWS_PER_INSERT} + key, value, 'pending' from json_each(${JSON.stringify(rows)})`,
			),
		),
	] as const;
	const [created] = await db.batch(statements);
	await ctx.env.JOBS_QUEUE.send({ type: "import.step", importId: id } satisfies JobMessage);
	const guess = guessedType(parsed.headers, input.filename);
	return {
		import: (created as DataImport[])[0] as DataImport,
		likelyMismatched: guess !== null && guess !== input.type,
	};
}

/** `user@domain` lowercased, with this instance's domain for a bare local name: how rows and accounts are matched. */
export function acctKey(acct: string, localDomain: string): string {
	const bare = acct.trim().replace(/^@/, "").toLowerCase();
	return bare.includes("@") ? bare : `${bare}@${localDomain.toLowerCase()}`;
}

function chunk<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
	return out;
}

export async function findImport(db: Db, accountId: string, id: string): Promise<DataImport | undefined> {
	const [row] = await db
		.select()
		.from(dataImports)
		.where(and(eq(dataImports.id, id), eq(dataImports.accountId, accountId)))
		.limit(1);
	return row;
}

export async function recentImports(db: Db, accountId: string, limit = 10): Promise<DataImport[]> {
	return db
		.select()
		.from(dataImports)
		.where(eq(dataImports.accountId, accountId))
		.orderBy(desc(dataImports.id))
		.limit(limit);
}

export interface ImportProblem {
	position: number;
	state: "imported" | "failed" | "skipped";
	item: string;
	reason: string;
}

/** What went wrong, row by row (at most `limit`), for the page's summary. */
export async function importProblems(db: Db, importId: string, limit = 200): Promise<ImportProblem[]> {
	const rows = await db
		.select()
		.from(dataImportRows)
		.where(
			and(
				eq(dataImportRows.importId, importId),
				sql`(${dataImportRows.state} in ('failed', 'skipped') or (${dataImportRows.state} = 'imported' and ${dataImportRows.reason} is not null))`,
			),
		)
		.orderBy(asc(dataImportRows.position))
		.limit(limit);
	return rows.map((row) => ({
		position: row.position,
		state: row.state as ImportProblem["state"],
		item: String(row.data.acct ?? row.data.domain ?? row.data.uri ?? row.data.list_name ?? ""),
		reason: row.reason ?? "",
	}));
}

/** The progress the page polls: counts and whether it is finished. */
export function importProgress(row: DataImport) {
	const total = row.totalItems;
	const percent = total === 0 ? (row.state === "done" ? 100 : 0) : Math.floor((row.processedItems * 100) / total);
	return {
		id: row.id,
		type: row.type as ImportType,
		state: row.state,
		total_items: total,
		processed_items: row.processedItems,
		imported_items: row.importedItems,
		failed_items: row.processedItems - row.importedItems,
		percent: Math.min(100, percent),
		error: row.error,
	};
}
