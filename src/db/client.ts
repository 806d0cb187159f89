import {
	createTableRelationsHelpers,
	extractTablesRelationalConfig,
	type Query,
	type TablesRelationalConfig,
} from "drizzle-orm";
import { DrizzleD1Database, type drizzle, SQLiteD1Session } from "drizzle-orm/d1";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";
import { type D1Meter, meteredD1 } from "./stats";

type TernDatabase = ReturnType<typeof drizzle<typeof schema, D1Database>>;

/**
 * What `drizzle(d1, { schema })` works out from the schema on every call: the
 * relational configuration of 60-odd tables, which a profile of
 * verify_credentials found to be the largest part of Drizzle's time in a
 * request. It depends only on the schema, so an isolate works it out once.
 */
let shared: { dialect: SQLiteAsyncDialect; relational: ConstructorParameters<typeof SQLiteD1Session>[2] } | undefined;

function sharedConfig() {
	if (!shared) {
		const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
		shared = {
			dialect: new SQLiteAsyncDialect(),
			relational: { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap },
		};
	}
	return shared;
}

/**
 * One Drizzle handle per request: bindings arrive with each invocation. With a
 * meter every query's rows are counted into it. Built as `drizzle()` builds
 * it, from the isolate's shared dialect and relational configuration.
 */
export function createDb(d1: D1Database, meter?: D1Meter): TernDatabase {
	const client = meter ? meteredD1(d1, meter) : d1;
	const { dialect, relational } = sharedConfig();
	const session = new SQLiteD1Session(client, dialect, relational, {});
	const db = new DrizzleD1Database("async", dialect, session, relational) as unknown as TernDatabase;
	db.$client = client;
	sessions.set(db, session);
	return db;
}

const sessions = new WeakMap<object, SQLiteD1Session<Record<string, unknown>, TablesRelationalConfig>>();

/** What Drizzle keeps of a prepared select: its SQL with placeholders and how to map its rows. */
interface PreparedSelect<T> {
	query: Query;
	fields: unknown;
	/** Which joined tables may come back all null (a left join's missing row), so they map to null. */
	joinsNotNullableMap?: unknown;
	all(values?: Record<string, unknown>): Promise<T[]>;
}

/**
 * A select run on every request (the token lookup of every authenticated
 * call) whose SQL Drizzle would otherwise build anew each time, walking every
 * selected column: built once per isolate with placeholders, then prepared on
 * each request's database as Drizzle's own `.prepare()` would. `build` must
 * depend on nothing but placeholders.
 */
export function reusableSelect<T>(build: (db: Db) => { prepare(): unknown }) {
	let built: { query: Query; fields: unknown; joinsNotNullableMap?: unknown } | undefined;
	return (db: Db, values: Record<string, unknown>): Promise<T[]> => {
		const session = sessions.get(db);
		if (!built || !session) {
			const prepared = build(db).prepare() as PreparedSelect<T>;
			built = { query: prepared.query, fields: prepared.fields, joinsNotNullableMap: prepared.joinsNotNullableMap };
			return prepared.all(values);
		}
		const prepared = session.prepareQuery(
			built.query,
			built.fields as Parameters<typeof session.prepareQuery>[1],
			"all",
			true,
		) as unknown as PreparedSelect<T>;
		prepared.joinsNotNullableMap = built.joinsNotNullableMap;
		return prepared.all(values);
	};
}

export type Db = TernDatabase;
