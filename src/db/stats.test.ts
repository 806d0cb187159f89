import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestUser } from "../../test/helpers/users";
import { handleFetch } from "../http/app";
import { createDb } from "./client";
import { accounts, oauthAccessTokens, users } from "./schema";
import { D1_STATS_HEADER, D1Meter, parseD1Stats } from "./stats";

describe("D1Meter", () => {
	it("counts a Drizzle select with a join (read through raw()) with its rows and every column", async () => {
		const user = await createTestUser();
		const meter = new D1Meter();
		const db = createDb(env.DB, meter);
		const rows = await db
			.select({ user: users, account: accounts })
			.from(users)
			.innerJoin(accounts, eq(accounts.id, users.accountId))
			.where(eq(users.id, user.user.id));
		// Both tables have `id` and `created_at`: the joined row must keep both, in their places.
		expect(rows).toHaveLength(1);
		expect(rows[0]?.user.id).toBe(user.user.id);
		expect(rows[0]?.account.id).toBe(user.account.id);
		expect(rows[0]?.account.username).toBe(user.account.username);
		expect(meter.queries).toBe(1);
		expect(meter.rowsRead).toBeGreaterThanOrEqual(2);
		expect(meter.rowsWritten).toBe(0);
	});

	it("gives the same rows as an unmetered handle", async () => {
		const user = await createTestUser();
		const query = (db: ReturnType<typeof createDb>) =>
			db
				.select({ token: oauthAccessTokens, user: users, account: accounts })
				.from(oauthAccessTokens)
				.leftJoin(users, eq(users.id, oauthAccessTokens.userId))
				.leftJoin(accounts, eq(accounts.id, users.accountId))
				.where(eq(oauthAccessTokens.userId, user.user.id));
		const plain = await query(createDb(env.DB));
		const metered = await query(createDb(env.DB, new D1Meter()));
		expect(metered).toEqual(plain);
	});

	it("counts writes, returning inserts, first() and batches statement by statement", async () => {
		const meter = new D1Meter();
		const db = createDb(env.DB, meter);
		await db.run("create table if not exists meter_probe (id integer primary key, name text)");
		expect(meter.queries).toBe(1);

		const inserted = await db.run("insert into meter_probe (name) values ('a'), ('b'), ('c')");
		expect(inserted.meta.rows_written).toBeGreaterThanOrEqual(3);
		expect(meter.queries).toBe(2);
		const writtenSoFar = meter.rowsWritten;
		expect(writtenSoFar).toBeGreaterThanOrEqual(3);

		const metered = createDb(env.DB, meter).$client;
		const first = await metered.prepare("select count(*) as n from meter_probe").first<number>("n");
		expect(first).toBeGreaterThanOrEqual(3);
		expect(meter.queries).toBe(3);

		const before = meter.rowsRead;
		const results = await metered.batch([
			metered.prepare("select * from meter_probe"),
			metered.prepare("insert into meter_probe (name) values (?)").bind("d"),
		]);
		expect(results).toHaveLength(2);
		expect(meter.queries).toBe(5);
		// Two statements, one call to D1.
		expect(meter.roundTrips).toBe(4);
		expect(meter.rowsRead - before).toBeGreaterThanOrEqual(3);
		expect(meter.rowsWritten).toBeGreaterThan(writtenSoFar);

		const raw = await metered.prepare("select id, name, id from meter_probe order by id limit 2").raw();
		expect(raw).toEqual([
			[expect.any(Number), "a", expect.any(Number)],
			[expect.any(Number), "b", expect.any(Number)],
		]);
		expect(meter.queries).toBe(6);
	});

	it("keeps each query's SQL and rows when asked to (BENCH_STATS=queries)", async () => {
		const meter = new D1Meter({ perQuery: true });
		const db = createDb(env.DB, meter);
		await db.select({ id: users.id }).from(users).limit(1);
		expect(meter.log).toHaveLength(1);
		expect(meter.log?.[0]).toMatch(/^rows_read=\d+ rows_written=0 select "id" from "users" limit \?$/);
		expect(new D1Meter().log).toBeUndefined();
	});

	it("writes and parses its summary", () => {
		const meter = new D1Meter();
		meter.trip();
		meter.record({ rows_read: 40, rows_written: 0 });
		meter.record({ rows_read: 1, rows_written: 2 });
		expect(meter.summary()).toBe("queries=2; round_trips=1; rows_read=41; rows_written=2");
		expect(parseD1Stats(meter.summary())).toEqual({ queries: 2, roundTrips: 1, rowsRead: 41, rowsWritten: 2 });
		expect(parseD1Stats(null)).toBeNull();
		expect(parseD1Stats("queries=1")).toBeNull();
	});
});

describe("the X-Tern-D1 header", () => {
	const request = (token: string) =>
		new Request("https://tern.test/api/v1/accounts/verify_credentials", {
			headers: { Authorization: `Bearer ${token}` },
		});

	it("reports a request's D1 usage when BENCH_STATS is on", async () => {
		const user = await createTestUser();
		const exec = createExecutionContext();
		const response = await handleFetch(request(user.token), { ...env, BENCH_STATS: "true" }, exec);
		await waitOnExecutionContext(exec);
		expect(response.status).toBe(200);
		const stats = parseD1Stats(response.headers.get(D1_STATS_HEADER));
		expect(stats?.queries).toBeGreaterThanOrEqual(1);
		expect(stats?.rowsRead).toBeGreaterThanOrEqual(1);
	});

	it("is absent when BENCH_STATS is off", async () => {
		const user = await createTestUser();
		const exec = createExecutionContext();
		const response = await handleFetch(request(user.token), { ...env, BENCH_STATS: "false" }, exec);
		await waitOnExecutionContext(exec);
		expect(response.status).toBe(200);
		expect(response.headers.has(D1_STATS_HEADER)).toBe(false);
	});
});
