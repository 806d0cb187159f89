// The migration rule of docs/migrations.md, checked for every migration in
// migrations/: applied to a database holding real rows under the schema of the
// migrations before it (the benchmark's dataset generator makes them), it must
// apply, lose no row, leave every foreign key whole, and keep the previous
// release working: nothing it reads disappears unless marked as a planned
// removal, and nothing it writes gains a NOT NULL column without a default.
// Migrations run on node:sqlite, each in one transaction with foreign keys
// enforced, as D1 runs them (PRAGMA foreign_keys is a no-op inside one).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDataset, migratedTables } from "../../bench/lib/dataset.mjs";
import { remoteKeyPairs } from "../../bench/lib/peer.mjs";
import { loadServices } from "../../bench/lib/services.mjs";
import { ROOT } from "./dev-server";

const MIGRATIONS = join(ROOT, "migrations");
const files = readdirSync(MIGRATIONS)
	.filter((name) => name.endsWith(".sql"))
	.sort();
const sqlOf = (name: string) => readFileSync(join(MIGRATIONS, name), "utf8");

/** Small, but every part of the benchmark's dataset is there. */
const SIZES = {
	locals: 4,
	domains: 3,
	remotesPerDomain: 3,
	statuses: 240,
	hubStatuses: 40,
	localStatuses: 8,
	followersPerDomain: 2,
	hubFollowing: 6,
	favourites: 30,
	oauthCodes: 4,
};

interface Column {
	name: string;
	type: string;
	notnull: number;
	dflt_value: string | null;
	/** 0: ordinary; 2 and 3: generated. */
	hidden: number;
}
type Schema = Map<string, Map<string, Column>>;

function schemaOf(db: DatabaseSync): Schema {
	const tables = db
		.prepare(
			"select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '\\_cf\\_%' escape '\\' and name <> 'd1_migrations'",
		)
		.all() as Array<{ name: string }>;
	const schema: Schema = new Map();
	for (const { name } of tables) {
		const columns = db.prepare(`select * from pragma_table_xinfo(?)`).all(name) as unknown as Column[];
		schema.set(name, new Map(columns.map((column) => [column.name, column])));
	}
	return schema;
}

function counts(db: DatabaseSync, schema: Schema): Map<string, number> {
	return new Map(
		[...schema.keys()].map((table) => [
			table,
			Number((db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n),
		]),
	);
}

function migrate(db: DatabaseSync, name: string): void {
	db.exec("BEGIN");
	try {
		db.exec(sqlOf(name));
		db.exec("COMMIT");
	} catch (error) {
		db.exec("ROLLBACK");
		throw new Error(`${name} failed: ${(error as Error).message}`);
	}
}

/** What a migration declares on purpose: `-- tern:removes table[.column]`, `-- tern:deletes-rows table`. */
function declared(name: string, kind: "removes" | "deletes-rows"): Set<string> {
	return new Set(
		[...sqlOf(name).matchAll(new RegExp(`^--\\s*tern:${kind}\\s+(\\S+)`, "gm"))].map((m) => m[1] as string),
	);
}

/** The rule of docs/migrations.md for one migration, from the schema before and after it. */
function ruleBreaches(name: string, before: Schema, after: Schema): string[] {
	const removes = declared(name, "removes");
	const breaches: string[] = [];
	for (const [table, columns] of before) {
		const next = after.get(table);
		if (!next) {
			if (!removes.has(table)) breaches.push(`drops table ${table} without -- tern:removes ${table}`);
			continue;
		}
		for (const [column, old] of columns) {
			if (old.hidden !== 0) continue;
			const now = next.get(column);
			if (!now) {
				if (!removes.has(`${table}.${column}`)) {
					breaches.push(`drops ${table}.${column} without -- tern:removes ${table}.${column}`);
				}
			} else if (now.notnull && !old.notnull && now.dflt_value === null) {
				breaches.push(`makes ${table}.${column} NOT NULL without a default: the running release may write NULL`);
			}
		}
		for (const [column, added] of next) {
			if (columns.has(column) || added.hidden !== 0) continue;
			if (added.notnull && added.dflt_value === null) {
				breaches.push(`adds ${table}.${column} NOT NULL without a default: the running release's inserts would fail`);
			}
		}
	}
	return breaches;
}

/**
 * Fills `target` (a schema of the past) with the dataset's rows: for every
 * table both have, the columns both have; a NOT NULL column that no longer
 * exists gets a value of its type.
 */
function fillFrom(target: DatabaseSync, sourcePath: string, schema: Schema, source: Schema): void {
	target.exec(`ATTACH DATABASE '${sourcePath}' AS src`);
	target.exec("PRAGMA foreign_keys = OFF");
	for (const [table, columns] of schema) {
		const from = source.get(table);
		if (!from) continue;
		const names: string[] = [];
		const values: string[] = [];
		for (const column of columns.values()) {
			if (column.hidden !== 0) continue;
			if (from.has(column.name) && from.get(column.name)?.hidden === 0) {
				names.push(`"${column.name}"`);
				values.push(`"${column.name}"`);
			} else if (column.notnull && column.dflt_value === null) {
				names.push(`"${column.name}"`);
				values.push(/int|real|num/i.test(column.type) ? "0" : "''");
			}
		}
		target.exec(`insert into main."${table}" (${names.join(",")}) select ${values.join(",")} from src."${table}"`);
	}
	target.exec("PRAGMA foreign_keys = ON");
	target.exec("DETACH DATABASE src");
}

describe("every migration, applied to a database full of rows from the schema before it", () => {
	let dir = "";
	let sourcePath = "";
	let source: Schema = new Map();
	let sourceCounts = new Map<string, number>();

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), "tern-migrations-"));
		const sqlPath = join(dir, "dataset.sql");
		const cache = join(ROOT, "node_modules", ".cache", "tern-bench");
		await generateDataset({
			sizes: SIZES,
			origin: "https://tern.test",
			peerHost: (d: number) => `peer${d}.test`,
			remoteKeys: await remoteKeyPairs(SIZES.domains, join(cache, "remote-keys.json")),
			services: await loadServices(ROOT),
			secret: "migration-test-secret-0123456789abcdef",
			sqlPath,
			tables: migratedTables(MIGRATIONS),
		});
		// The dataset under today's schema, which each step below projects onto an older one.
		sourcePath = join(dir, "source.sqlite");
		const db = new DatabaseSync(sourcePath);
		db.exec("PRAGMA foreign_keys = ON");
		for (const name of files) migrate(db, name);
		db.exec("BEGIN");
		db.exec(readFileSync(sqlPath, "utf8"));
		db.exec("COMMIT");
		source = schemaOf(db);
		sourceCounts = counts(db, source);
		db.close();
	}, 300_000);

	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it("has a dataset that fills the tables most of the product uses", () => {
		const filled = [...sourceCounts].filter(([, n]) => n > 0).map(([table]) => table);
		expect(filled).toEqual(
			expect.arrayContaining([
				"accounts",
				"users",
				"account_keys",
				"statuses",
				"follows",
				"favourites",
				"notifications",
				"home_feed",
				"oauth_access_tokens",
				"status_search_documents",
			]),
		);
	});

	it.each(files.slice(1).map((name, i) => [name, i + 1] as const))("%s", (name, index) => {
		const db = new DatabaseSync(":memory:");
		db.exec("PRAGMA foreign_keys = ON");
		for (const earlier of files.slice(0, index)) migrate(db, earlier);
		const before = schemaOf(db);
		fillFrom(db, sourcePath, before, source);
		const rowsBefore = counts(db, before);
		// Every table of that schema the dataset has rows for has them here too.
		for (const [table, n] of rowsBefore) if ((sourceCounts.get(table) ?? 0) > 0) expect(n, table).toBeGreaterThan(0);
		expect(rowsBefore.get("accounts")).toBeGreaterThan(10);

		migrate(db, name);
		const after = schemaOf(db);
		expect(ruleBreaches(name, before, after)).toEqual([]);
		const rowsAfter = counts(db, after);
		const deletes = declared(name, "deletes-rows");
		for (const [table, n] of rowsBefore) {
			if (!after.has(table) || deletes.has(table)) continue;
			expect(rowsAfter.get(table), `${table} lost rows`).toBeGreaterThanOrEqual(n);
		}
		expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
		expect(db.prepare("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
		db.close();
	});
});
