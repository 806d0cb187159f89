import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, createTestUser, db } from "../../../test/helpers/users";
import { usageDays } from "../../db/schema";
import { D1Meter } from "../../db/stats";
import { FLUSH_INTERVAL_MS, flushUsageNow, recordUsage, recordUsageNow, utcDay, writeUsage } from "./counters";
import { emptyUsage, meteredEnv, UsageMeter } from "./meter";
import { FREE_DAILY, freeQuotaShares, paidMonthlyBill } from "./pricing";
import { usageReport } from "./report";

/** A D1 binding of its own, so each test's counters start empty (they are kept per binding). */
function freshBinding(): D1Database {
	return {
		prepare: (query: string) => env.DB.prepare(query),
		batch: (statements: D1PreparedStatement[]) => env.DB.batch(statements),
		exec: (query: string) => env.DB.exec(query),
	} as unknown as D1Database;
}

const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);

describe("what an invocation spends", () => {
	it("counts R2 classes, queue operations, Images transformations and Durable Object requests through the bindings", async () => {
		const meter = new UsageMeter(new D1Meter({ exact: false }));
		let stubCalls = 0;
		const namespace = {
			idFromName: () => ({}),
			get: () => ({ fetch: async () => new Response("ok"), ping: async () => stubCalls++ }),
		};
		const sent: unknown[] = [];
		const queue = {
			send: async (body: unknown) => sent.push(body),
			sendBatch: async (list: unknown[]) => sent.push(...list),
		};
		const metered = meteredEnv({ ...env, JOBS_QUEUE: queue, ROOMS: namespace } as unknown as Env, meter) as Env & {
			ROOMS: typeof namespace;
		};
		await metered.MEDIA.put("usage-test/a", new Uint8Array(10));
		await metered.MEDIA.get("usage-test/a");
		await metered.MEDIA.head("usage-test/a");
		await metered.MEDIA.list({ prefix: "usage-test/" });
		await metered.MEDIA.delete("usage-test/a");
		await metered.JOBS_QUEUE.send({ type: "noop" });
		await metered.JOBS_QUEUE.sendBatch([{ body: { a: 1 } }, { body: { b: 2 } }]);
		const png = Uint8Array.from(
			atob("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IacBRAwQCgAgFgQ5YebC6gAAAABJRU5ErkJggg=="),
			(c) => c.charCodeAt(0),
		);
		await (
			await metered.IMAGES.input(new Blob([png]).stream())
				.transform({ width: 1 })
				.output({ format: "image/png" })
		)
			.response()
			.arrayBuffer();
		const stub = metered.ROOMS.get();
		await stub.fetch();
		await stub.ping();
		expect(stubCalls).toBe(1);
		expect(sent).toHaveLength(3);
		// Nothing else about the env changes: the D1 binding stays the same object.
		expect(metered.DB).toBe(env.DB);
		expect(meter.total()).toMatchObject({
			r2_class_a: 2,
			r2_class_b: 2,
			r2_bytes_written: 10,
			queue_writes: 3,
			images_transformations: 1,
			do_requests: 2,
		});
		expect(meter.summary()).toContain("images_transformations=1");
	});

	it("counts RPC calls to the streaming object, whose stub answers every property, as Durable Object requests", async () => {
		const meter = new UsageMeter(new D1Meter({ exact: false }));
		const metered = meteredEnv(env, meter);
		const stub = metered.ACCOUNT_STREAMS.get(metered.ACCOUNT_STREAMS.idFromName("usage-test"));
		expect(await stub.stats()).toMatchObject({ sockets: 0, eventSources: 0 });
		expect(meter.total().do_requests).toBe(1);
	});

	it("counts queue reads and deletes per message, and bigger messages as more operations", () => {
		const meter = new UsageMeter(new D1Meter({ exact: false }));
		const small = { body: { id: "1" } } as Message<unknown>;
		const big = { body: "x".repeat(70 * 1024) } as Message<unknown>;
		meter.receivedBatch({ queue: "tern-jobs", messages: [small, big] } as unknown as MessageBatch<unknown>);
		meter.acked(small);
		expect(meter.total()).toMatchObject({ queue_invocations: 1, queue_reads: 3, queue_deletes: 1 });
	});
});

describe("the daily counters", () => {
	it("write an isolate's counts at most once a minute, as one row per UTC day", async () => {
		const d1 = freshBinding();
		const exec = createExecutionContext();
		const start = day("2031-03-04");
		const one = { ...emptyUsage(), requests: 1, d1_rows_read: 40 };
		recordUsage(d1, one, exec, start);
		recordUsage(d1, one, exec, start + 1000);
		await waitOnExecutionContext(exec);
		const read = () => db().select().from(usageDays).where(eq(usageDays.day, "2031-03-04"));
		expect(await read()).toEqual([]);
		const later = createExecutionContext();
		recordUsage(d1, one, later, start + FLUSH_INTERVAL_MS);
		await waitOnExecutionContext(later);
		// Three requests, and the write itself: one query, one row.
		expect(await read()).toMatchObject([{ requests: 3, d1RowsRead: 120, d1Queries: 1, d1RowsWritten: 1 }]);
		// The next day's first count sends what was pending to the day it belongs to.
		const next = createExecutionContext();
		recordUsage(d1, one, next, start + FLUSH_INTERVAL_MS + 1000);
		recordUsage(d1, one, next, day("2031-03-05"));
		await waitOnExecutionContext(next);
		expect(await read()).toMatchObject([{ requests: 4 }]);
		await flushUsageNow(d1, day("2031-03-05"));
		const [tomorrow] = await db().select().from(usageDays).where(eq(usageDays.day, "2031-03-05"));
		expect(tomorrow?.requests).toBe(1);
	});

	it("write a Durable Object's counts at once, and nothing for an entry point that counted nothing", async () => {
		const d1 = freshBinding();
		const start = day("2031-04-04");
		const read = () => db().select().from(usageDays).where(eq(usageDays.day, "2031-04-04"));
		const first = createExecutionContext();
		recordUsageNow(d1, { ...emptyUsage(), d1_queries: 2, d1_rows_read: 5 }, first, start);
		await waitOnExecutionContext(first);
		expect(await read()).toMatchObject([{ d1Queries: 3, d1RowsRead: 5, d1RowsWritten: 1 }]);
		// Counts kept back by an earlier minute-throttled record go with the next write, not alone.
		const quiet = createExecutionContext();
		recordUsage(d1, { ...emptyUsage(), d1_rows_read: 7 }, quiet, start + 1000);
		recordUsageNow(d1, emptyUsage(), quiet, start + 2000);
		await waitOnExecutionContext(quiet);
		expect(await read()).toMatchObject([{ d1Queries: 3, d1RowsRead: 5 }]);
		const busy = createExecutionContext();
		recordUsageNow(d1, { ...emptyUsage(), d1_queries: 1 }, busy, start + 3000);
		await waitOnExecutionContext(busy);
		expect(await read()).toMatchObject([{ d1Queries: 5, d1RowsRead: 12, d1RowsWritten: 2 }]);
	});

	it("counts a real request through the Worker's fetch handler", async () => {
		const user = await createTestUser();
		const response = await api("/api/v1/accounts/verify_credentials", { token: user.token });
		expect(response.status).toBe(200);
		await flushUsageNow(env.DB);
		const [today] = await db()
			.select()
			.from(usageDays)
			.where(eq(usageDays.day, utcDay(Date.now())));
		expect(today?.requests).toBeGreaterThanOrEqual(1);
		expect(today?.d1Queries).toBeGreaterThanOrEqual(1);
	});
});

describe("the usage report", () => {
	it("sums this month, projects the month and prices it on the Paid plan", async () => {
		const d1 = freshBinding();
		const now = Date.parse("2031-06-10T12:00:00Z");
		await writeUsage(d1, "2031-05-31", { ...emptyUsage(), requests: 1_000_000 }, now);
		for (const date of ["2031-06-01", "2031-06-05", "2031-06-10"]) {
			await writeUsage(
				d1,
				date,
				{ ...emptyUsage(), requests: 30_000, queue_writes: 1000, queue_reads: 1000, queue_deletes: 1000 },
				now,
			);
		}
		const report = await usageReport(db(), d1, now);
		expect(report).toMatchObject({ month: "2031-06", daysElapsed: 10, daysInMonth: 30, cpuIsEstimated: true });
		expect(report.monthToDate.requests).toBe(90_000);
		expect(report.monthToDate.queueOperations).toBe(9000);
		expect(report.today.usage.requests).toBe(30_000);
		expect(report.today.freeShares.requests).toBeCloseTo(30_000 / FREE_DAILY.requests);
		// 9.5 days of June are behind, so the month is projected at 30 / 9.5 times what was counted.
		expect(report.projected.usage.requests).toBeCloseTo((90_000 * 30) / 9.5, 0);
		expect(report.projected.paidMonthlyUsd).toBeGreaterThanOrEqual(5);
		if (report.model) expect(report.model.members).toBeGreaterThan(0);
	});

	it("prices usage as Cloudflare's pages list it", () => {
		const none = {
			requests: 0,
			cpuMs: 0,
			d1RowsRead: 0,
			d1RowsWritten: 0,
			queueOperations: 0,
			r2ClassA: 0,
			r2ClassB: 0,
			doRequests: 0,
			imagesTransformations: 0,
		};
		expect(paidMonthlyBill(none).total).toBe(5);
		// Queues' own example: 1 million messages a day, 3 operations each, for 30 days is $35.60.
		expect(paidMonthlyBill({ ...none, queueOperations: 90_000_000 }).lines.queueOperations).toBeCloseTo(35.6);
		// Workers' example: 15 million requests at 7 ms is $1.50 for requests and $1.50 for CPU.
		const workers = paidMonthlyBill({ ...none, requests: 15_000_000, cpuMs: 105_000_000 });
		expect(workers.lines.requests).toBeCloseTo(1.5);
		expect(workers.lines.cpuMs).toBeCloseTo(1.5);
		expect(freeQuotaShares({ ...none, r2ClassA: 1_000_000 / 30 }).r2ClassA).toBeCloseTo(1);
	});
});
