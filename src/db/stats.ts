/**
 * D1 accounting: counts the queries one invocation sends and the rows D1
 * reports reading and writing, which is what D1 bills. Every invocation counts
 * queries and the rows of the results that carry them, for the daily usage
 * counters (src/services/usage/). With the var BENCH_STATS on (the benchmark,
 * bench/) the count is exact: selects read through `raw()`, which reports no
 * rows, are read through `all()` instead, and the totals go out in a header.
 */

/** The part of a D1 result's `meta` that is counted. */
interface MetaCounts {
	rows_read?: number;
	rows_written?: number;
}

export const D1_STATS_HEADER = "X-Tern-D1";

export class D1Meter {
	queries = 0;
	/**
	 * Calls that went to D1 and came back: a batch of many statements is one.
	 * The benchmark's Worker CPU estimate subtracts what each round trip costs the
	 * local setup, so it needs these rather than statements.
	 */
	roundTrips = 0;
	rowsRead = 0;
	rowsWritten = 0;
	/** With BENCH_STATS "queries": each query's SQL and rows, to find where rows go. */
	readonly log: string[] | undefined;
	/** Whether `raw()` goes through `all()` so its rows are counted too (the benchmark). */
	readonly exact: boolean;

	constructor(options: { perQuery?: boolean; exact?: boolean } = {}) {
		this.log = options.perQuery ? [] : undefined;
		this.exact = options.exact ?? true;
	}

	/** One statement run by D1 (each statement of a batch counts, and reports its own rows). */
	record(meta: MetaCounts | undefined, sql?: string): void {
		this.queries++;
		this.rowsRead += meta?.rows_read ?? 0;
		this.rowsWritten += meta?.rows_written ?? 0;
		this.log?.push(
			`rows_read=${meta?.rows_read ?? 0} rows_written=${meta?.rows_written ?? 0} ${(sql ?? "(unknown)").replace(/\s+/g, " ").slice(0, 400)}`,
		);
	}

	/** One call to D1 (a statement or a whole batch), counted apart from its statements. */
	trip(): void {
		this.roundTrips++;
	}

	/** Prints the per-query log (BENCH_STATS "queries" only). */
	flushLog(label: string): void {
		for (const line of this.log ?? []) console.log(`tern-d1-query ${label} ${line}`);
	}

	/** `queries=3; round_trips=2; rows_read=41; rows_written=0`: the header value and the log line's tail. */
	summary(): string {
		return `queries=${this.queries}; round_trips=${this.roundTrips}; rows_read=${this.rowsRead}; rows_written=${this.rowsWritten}`;
	}

	/** The response with the counts in a header; copies it because fetched responses have immutable headers. */
	annotate(response: Response): Response {
		const copy = new Response(response.body, response);
		copy.headers.set(D1_STATS_HEADER, this.summary());
		return copy;
	}
}

/** Parses a `X-Tern-D1` value back into numbers (used by the benchmark and tests). */
export function parseD1Stats(
	value: string | null,
): { queries: number; roundTrips: number; rowsRead: number; rowsWritten: number } | null {
	if (!value) return null;
	const fields = new Map(
		value.split(";").map((part) => {
			const [key, number] = part.trim().split("=");
			return [key, Number(number)] as const;
		}),
	);
	const queries = fields.get("queries");
	const roundTrips = fields.get("round_trips");
	const rowsRead = fields.get("rows_read");
	const rowsWritten = fields.get("rows_written");
	if (queries === undefined || roundTrips === undefined || rowsRead === undefined || rowsWritten === undefined) {
		return null;
	}
	return { queries, roundTrips, rowsRead, rowsWritten };
}

/**
 * `raw()` results carry no `meta`, and Drizzle reads every typed select with
 * `raw()`. A metered statement answers `raw()` through `all()` instead, which
 * reports rows read. Selects are wrapped as `select * from (…)` first because
 * SQLite then renames duplicate column names (`id`, `id:1`), so joined rows
 * keep every column in order; SQLite flattens the subquery, so the rows read
 * are the same as the bare query's. Other statements (`insert … returning`)
 * name each column once.
 */
function isSelect(sql: string): boolean {
	return /^\s*(select|with)\b/i.test(sql);
}

class MeteredStatement {
	constructor(
		private readonly db: D1Database,
		readonly inner: D1PreparedStatement,
		readonly sql: string,
		private readonly params: unknown[],
		private readonly meter: D1Meter,
	) {}

	bind(...values: unknown[]): MeteredStatement {
		return new MeteredStatement(this.db, this.inner.bind(...values), this.sql, values, this.meter);
	}

	async first<T>(column?: string): Promise<T | null> {
		this.meter.trip();
		const result = await this.inner.all<Record<string, unknown>>();
		this.meter.record(result.meta, this.sql);
		const row = result.results[0];
		if (!row) return null;
		return (column === undefined ? row : row[column]) as T;
	}

	async run<T>(): Promise<D1Result<T>> {
		this.meter.trip();
		const result = await this.inner.run<T>();
		this.meter.record(result.meta, this.sql);
		return result;
	}

	async all<T>(): Promise<D1Result<T>> {
		this.meter.trip();
		const result = await this.inner.all<T>();
		this.meter.record(result.meta, this.sql);
		return result;
	}

	async raw<T>(options?: { columnNames?: boolean }): Promise<unknown[]> {
		if (!this.meter.exact) {
			this.meter.trip();
			this.meter.record(undefined, this.sql);
			return options?.columnNames ? this.inner.raw<T>({ columnNames: true }) : this.inner.raw<T>();
		}
		const statement = isSelect(this.sql)
			? this.db.prepare(`select * from (${this.sql})`).bind(...this.params)
			: this.inner;
		this.meter.trip();
		const result = await statement.all<Record<string, unknown>>();
		this.meter.record(result.meta, this.sql);
		const rows = result.results.map((row) => Object.values(row) as T);
		if (!options?.columnNames) return rows;
		const first = result.results[0];
		return [first ? Object.keys(first) : [], ...rows];
	}
}

/** The binding with every query counted into `meter`; pass the result to Drizzle in place of the binding. */
export function meteredD1(db: D1Database, meter: D1Meter): D1Database {
	const metered = {
		prepare: (sql: string) => new MeteredStatement(db, db.prepare(sql), sql, [], meter),
		batch: async <T>(statements: D1PreparedStatement[]) => {
			const inner = statements.map((s) => (s instanceof MeteredStatement ? s.inner : s));
			meter.trip();
			const results = await db.batch<T>(inner);
			results.forEach((result, i) => {
				const statement = statements[i];
				meter.record(result.meta, statement instanceof MeteredStatement ? statement.sql : undefined);
			});
			return results;
		},
		exec: async (sql: string) => {
			meter.trip();
			const result = await db.exec(sql);
			meter.record(undefined, sql);
			return result;
		},
		withSession: (constraint?: string) => db.withSession(constraint),
		dump: () => db.dump(),
	};
	return metered as unknown as D1Database;
}

/** Whether this invocation reports its D1 usage (the benchmark sets BENCH_STATS). */
export function isBenchRun(env: { BENCH_STATS?: string }): boolean {
	return env.BENCH_STATS === "true" || env.BENCH_STATS === "queries";
}

/**
 * A fresh meter for this invocation: exact, and with every query logged for
 * BENCH_STATS "queries", under the benchmark; counting queries and the rows
 * results report otherwise (see the class comment).
 */
export function invocationMeter(env: { BENCH_STATS?: string }): D1Meter {
	if (env.BENCH_STATS === "queries") return new D1Meter({ perQuery: true });
	return new D1Meter({ exact: isBenchRun(env) });
}
