import { gunzip, quoteIdentifier, tableChecksum } from "./backup-tables";
import { type BackupManifest, chunkKey, readManifest } from "./backups";

/**
 * Restoring a backup into an empty database: the tables are created from the
 * manifest's own schema (so a restore needs no migrations and `d1_migrations`
 * comes back as it was), the rows go in chunk by chunk in dependency order
 * with their rowids, then indexes and triggers are made, and every table's
 * row count and checksum is read back and compared with the manifest.
 * It runs where the CPU is not limited: the CLI, against local state or,
 * with --remote, the deployed database.
 */

const ROWS_PER_STATEMENT = 100;

export class RestoreError extends Error {}

export interface RestoreReport {
	tables: {
		name: string;
		rows: number;
		checksum: string;
		expectedRows: number;
		expectedChecksum: string;
		ok: boolean;
	}[];
	ok: boolean;
	millis: number;
}

async function isEmpty(d1: D1Database): Promise<boolean> {
	const row = await d1
		.prepare(
			"select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%'",
		)
		.first<{ n: number }>();
	return (row?.n ?? 0) === 0;
}

export async function restoreBackup(
	d1: D1Database,
	bucket: R2Bucket,
	id: string,
	log: (line: string) => void = () => {},
): Promise<RestoreReport> {
	const started = Date.now();
	const manifest = await readManifest(bucket, id);
	if (!manifest) throw new RestoreError(`No backup ${id} in the bucket`);
	if (!(await isEmpty(d1))) {
		throw new RestoreError("The database is not empty: restore only into a new, empty database");
	}
	await d1.batch(manifest.tables.map((table) => d1.prepare(table.sql)));
	for (const table of manifest.tables) {
		await restoreTable(d1, bucket, manifest, table);
		log(`${table.name}: ${table.rows} rows`);
	}
	for (const statement of manifest.extras) await d1.prepare(statement).run();
	const report = await verifyAgainst(d1, manifest);
	return { ...report, millis: Date.now() - started };
}

async function restoreTable(
	d1: D1Database,
	bucket: R2Bucket,
	manifest: BackupManifest,
	table: BackupManifest["tables"][number],
) {
	const columns = table.columns;
	const names = columns.map(quoteIdentifier).join(", ");
	// One JSON parameter per statement whatever the number of columns (D1 allows 100 bound parameters).
	// Rows go in the order they were read (rowid order), so they are read back in the same order.
	const values = columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ");
	const insert = `insert into ${quoteIdentifier(table.name)} (${names}) select ${values} from json_each(?) order by key`;
	for (let n = 0; n < table.chunks; n++) {
		const object = await bucket.get(chunkKey(manifest.id, table.name, n));
		if (!object) throw new RestoreError(`Chunk ${n} of ${table.name} is missing from the bucket`);
		const lines = (await gunzip(await object.arrayBuffer())).split("\n").filter(Boolean);
		const statements: D1PreparedStatement[] = [d1.prepare("pragma defer_foreign_keys = on")];
		for (let start = 0; start < lines.length; start += ROWS_PER_STATEMENT) {
			const rows = lines.slice(start, start + ROWS_PER_STATEMENT).map((line) => {
				const cells = JSON.parse(line) as unknown[];
				if (cells.some((cell) => cell !== null && typeof cell === "object")) {
					throw new RestoreError(`${table.name} holds binary values, which this restore does not handle`);
				}
				return cells;
			});
			statements.push(d1.prepare(insert).bind(JSON.stringify(rows)));
		}
		await d1.batch(statements);
	}
}

/** Row counts and checksums of the database against a manifest. */
export async function verifyAgainst(d1: D1Database, manifest: BackupManifest) {
	const tables = [];
	for (const table of manifest.tables) {
		const actual = await tableChecksum(d1, table);
		tables.push({
			name: table.name,
			rows: actual.rows,
			checksum: actual.checksum,
			expectedRows: table.rows,
			expectedChecksum: table.checksum,
			ok: actual.rows === table.rows && actual.checksum === table.checksum,
		});
	}
	return { tables, ok: tables.every((t) => t.ok) };
}
