import { and, count, eq, gte, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/client";
import { accounts, usageDays, users } from "../../db/schema";
import { flushUsageNow, USAGE_COLUMNS, utcDay } from "./counters";
import { emptyUsage, USAGE_FIELDS, type UsageCounts } from "./meter";
import { ACTIVE_MEMBER, dailyUsage } from "./model";
import {
	type BilledUsage,
	billedFromCounts,
	type FreeQuota,
	freeQuotaShares,
	paidMonthlyBill,
	scaleUsage,
} from "./pricing";
import { REFERENCE_COSTS } from "./reference";

export interface UsageReport {
	/** The UTC month reported, `YYYY-MM`. */
	month: string;
	daysElapsed: number;
	daysInMonth: number;
	/** What the counters hold for this month so far, in billing units. */
	monthToDate: BilledUsage;
	/** Today (UTC) against the Free plan's daily quotas (1 = the whole quota). */
	today: { usage: BilledUsage; freeShares: Record<FreeQuota, number> };
	/** The month so far, extended to the whole month at the same daily rate, and what the Paid plan would bill for it. */
	projected: { usage: BilledUsage; paidMonthlyUsd: number; paidLines: Record<string, number> };
	/** What the cost model predicts for this many members (null when no benchmark figures are built in). */
	model: {
		members: number;
		daily: BilledUsage;
		freeShares: Record<FreeQuota, number>;
		paidMonthlyUsd: number;
	} | null;
	/**
	 * Worker CPU is not something a Worker can measure about itself in
	 * production (its clock stands still while it computes), so CPU in the
	 * figures above is the model's CPU per request times the requests counted.
	 */
	cpuIsEstimated: true;
}

function countsOf(rows: (typeof usageDays.$inferSelect)[]): UsageCounts {
	const total = emptyUsage();
	const columns = USAGE_COLUMNS;
	for (const row of rows) for (const field of USAGE_FIELDS) total[field] += Number(row[columns[field]]);
	return total;
}

/** CPU per invocation the model measured, averaged over what a member does in a day. */
function modelCpuPerRequest(): number {
	if (!REFERENCE_COSTS) return 0;
	const day = dailyUsage(1, ACTIVE_MEMBER, REFERENCE_COSTS);
	return day.requests > 0 ? day.cpuMs / day.requests : 0;
}

/** Local accounts that can use the service: the community's size as the model counts it. */
async function memberCount(db: Db): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(users)
		.innerJoin(accounts, eq(accounts.id, users.accountId))
		.where(and(eq(users.disabled, false), isNull(accounts.suspendedAt)));
	return row?.n ?? 0;
}

/**
 * This month's usage, counted by the Worker itself (src/services/usage/counters.ts),
 * the bill the Paid plan would send for the month at this rate, and the cost
 * model's figures for a community of this size beside them. The admin
 * console's dashboard shows it; `d1` is written first so today's figures
 * include this isolate's last minute.
 */
export async function usageReport(db: Db, d1: D1Database, now = Date.now()): Promise<UsageReport> {
	await flushUsageNow(d1, now);
	const today = utcDay(now);
	const month = today.slice(0, 7);
	const start = new Date(`${month}-01T00:00:00Z`);
	const daysInMonth = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
	const daysElapsed = Number(today.slice(8, 10));
	const rows = await db
		.select()
		.from(usageDays)
		.where(and(gte(usageDays.day, `${month}-01`), lte(usageDays.day, today)));
	const cpuPerRequest = modelCpuPerRequest();
	const billed = (counts: UsageCounts) => {
		const usage = billedFromCounts(counts);
		return { ...usage, cpuMs: usage.requests * cpuPerRequest };
	};
	const monthToDate = billed(countsOf(rows));
	const todayUsage = billed(countsOf(rows.filter((row) => row.day === today)));
	// Today is under way: the days before it and the part of today elapsed give the daily rate.
	const elapsedDays = daysElapsed - 1 + (now - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
	const projectedUsage = scaleUsage(monthToDate, daysInMonth / Math.max(elapsedDays, 1 / 24));
	const projectedBill = paidMonthlyBill(projectedUsage);
	let model: UsageReport["model"] = null;
	if (REFERENCE_COSTS) {
		const members = await memberCount(db);
		const daily = dailyUsage(members, ACTIVE_MEMBER, REFERENCE_COSTS);
		model = {
			members,
			daily,
			freeShares: freeQuotaShares(daily),
			paidMonthlyUsd: paidMonthlyBill(scaleUsage(daily, daysInMonth)).total,
		};
	}
	return {
		month,
		daysElapsed,
		daysInMonth,
		monthToDate,
		today: { usage: todayUsage, freeShares: freeQuotaShares(todayUsage) },
		projected: { usage: projectedUsage, paidMonthlyUsd: projectedBill.total, paidLines: projectedBill.lines },
		model,
		cpuIsEstimated: true,
	};
}
