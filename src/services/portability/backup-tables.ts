/**
 * Reading and writing tables for backups, on the raw D1 binding (Drizzle
 * knows Tern's tables, a backup must take whatever the database holds). A
 * table's rows are read in rowid order (primary key order for a WITHOUT
 * ROWID table, which has no rowid), a chunk at a time, as NDJSON arrays
 * of column values; its checksum chains the SHA-256 of every chunk, so the
 * same rows in the same order give the same checksum wherever they are read.
 */

export const ROWS_PER_CHUNK = 500;

export interface TableInfo {
	name: string;
	/** The CREATE TABLE statement, as SQLite keeps it. */
	sql: string;
	/** Stored columns in order (generated columns are left out: they are computed again). */
	columns: string[];
	/** A WITHOUT ROWID table's primary key columns, in key order: its rows are read in that order. */
	primaryKey?: string[];
}

/** Where the next chunk starts: after this rowid, or after this primary key (WITHOUT ROWID tables). */
export type ChunkCursor = number | unknown[] | null;

const WITHOUT_ROWID = /\)\s*without\s+rowid\s*;?\s*$/i;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Columns looked up per step: one `pragma table_info` each, within the 50 queries a Worker may make. */
export const TABLES_PER_LISTING = 40;

/**
 * Tables worth backing up (everything but SQLite's and Cloudflare's own
 * bookkeeping), in one query; their columns come later, a step at a time
 * (`describeTables`), because D1 allows pragmas only as statements of their own.
 */
export async function listTables(d1: D1Database): Promise<{ tables: TableInfo[]; extras: string[] }> {
	const { results } = await d1
		.prepare(
			`select type, name, tbl_name, sql from sqlite_master where sql is not null
			and name not like 'sqlite_%' and name not like '_cf_%' and tbl_name not like '_cf_%' order by rowid`,
		)
		.all<{ type: string; name: string; sql: string }>();
	const tables: TableInfo[] = [];
	const extras: string[] = [];
	for (const row of results) {
		if (row.type === "table") tables.push({ name: row.name, sql: row.sql, columns: [] });
		else extras.push(row.sql);
	}
	return { tables, extras };
}

/** Fills in the stored columns of `tables` (generated ones, which are computed again, are left out). */
export async function describeTables(d1: D1Database, tables: TableInfo[]): Promise<void> {
	if (tables.length === 0) return;
	const results = await d1.batch(tables.map((table) => d1.prepare(`pragma table_info(${quote(table.name)})`)));
	tables.forEach((table, index) => {
		const info = (results[index]?.results ?? []) as { name: string; pk: number }[];
		table.columns = info.map((column) => column.name);
		if (WITHOUT_ROWID.test(table.sql)) {
			table.primaryKey = info
				.filter((column) => column.pk > 0)
				.sort((a, b) => a.pk - b.pk)
				.map((column) => column.name);
		}
	});
}

/** The tables a CREATE TABLE statement references, read from its REFERENCES clauses. */
function referencesOf(table: TableInfo): string[] {
	return [...table.sql.matchAll(/references\s+[`"[]?([^`"\]\s(]+)/gi)]
		.map((match) => match[1] as string)
		.filter((name) => name !== table.name);
}

/** Tables after the ones they reference, so rows can be inserted in this order with foreign keys on. */
export function inDependencyOrder(tables: TableInfo[]): TableInfo[] {
	return dependencyOrder(tables, new Map(tables.map((table) => [table.name, referencesOf(table)])));
}

function dependencyOrder(tables: TableInfo[], references: Map<string, string[]>): TableInfo[] {
	const byName = new Map(tables.map((t) => [t.name, t]));
	const out: TableInfo[] = [];
	const seen = new Set<string>();
	const visit = (name: string, path: Set<string>) => {
		if (seen.has(name) || path.has(name)) return;
		path.add(name);
		for (const dependency of references.get(name) ?? []) if (byName.has(dependency)) visit(dependency, path);
		seen.add(name);
		const table = byName.get(name);
		if (table) out.push(table);
	};
	for (const table of tables) visit(table.name, new Set());
	return out;
}

export interface ChunkRead {
	lines: string[];
	last: ChunkCursor;
}

function cell(value: unknown): unknown {
	if (value instanceof ArrayBuffer) return { $base64: btoa(String.fromCharCode(...new Uint8Array(value))) };
	if (Array.isArray(value)) return { $base64: btoa(String.fromCharCode(...value)) };
	return value;
}

/** Up to ROWS_PER_CHUNK rows after `after`, each an NDJSON line of its column values. */
export async function readChunk(d1: D1Database, table: TableInfo, after: ChunkCursor): Promise<ChunkRead> {
	const columns = table.columns.map(quote).join(", ");
	const key = table.primaryKey?.length ? table.primaryKey : null;
	if (!key) {
		const rows = await d1
			.prepare(
				`select rowid as __rowid, ${columns} from ${quote(table.name)} where rowid > ? order by rowid limit ${ROWS_PER_CHUNK}`,
			)
			.bind(typeof after === "number" ? after : -1)
			.raw<unknown[]>();
		return {
			lines: rows.map((row) => JSON.stringify(row.slice(1).map(cell))),
			last: rows.length > 0 ? Number(rows.at(-1)?.[0]) : null,
		};
	}
	const keyList = key.map(quote).join(", ");
	const from = Array.isArray(after) ? `where (${keyList}) > (${key.map(() => "?").join(", ")})` : "";
	const statement = d1.prepare(
		`select ${keyList}, ${columns} from ${quote(table.name)} ${from} order by ${keyList} limit ${ROWS_PER_CHUNK}`,
	);
	const rows = await (Array.isArray(after) ? statement.bind(...after) : statement).raw<unknown[]>();
	return {
		lines: rows.map((row) => JSON.stringify(row.slice(key.length).map(cell))),
		last: rows.length > 0 ? (rows.at(-1)?.slice(0, key.length) ?? null) : null,
	};
}

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
	const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
	const digest = await crypto.subtle.digest("SHA-256", bytes);
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The chain: each chunk's digest folded into the running checksum (empty table: the digest of nothing). */
export async function chainChecksum(previous: string | null, chunkText: string): Promise<string> {
	return sha256Hex(`${previous ?? ""}${await sha256Hex(chunkText)}`);
}

export async function gzip(text: string): Promise<Uint8Array> {
	const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function gunzip(bytes: ArrayBuffer | Uint8Array): Promise<string> {
	const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
	return new Response(stream).text();
}

/** Row count and checksum of a table as it is now, read the way a backup reads it. */
export async function tableChecksum(d1: D1Database, table: TableInfo): Promise<{ rows: number; checksum: string }> {
	let after: ChunkCursor = null;
	let rows = 0;
	let checksum: string | null = null;
	for (;;) {
		const chunk = await readChunk(d1, table, after);
		if (chunk.lines.length === 0) break;
		rows += chunk.lines.length;
		checksum = await chainChecksum(checksum, `${chunk.lines.join("\n")}\n`);
		after = chunk.last;
		if (chunk.lines.length < ROWS_PER_CHUNK) break;
	}
	return { rows, checksum: checksum ?? (await sha256Hex("")) };
}

export { quote as quoteIdentifier };
