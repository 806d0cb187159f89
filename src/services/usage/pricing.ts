import type { UsageCounts } from "./meter";

/**
 * Cloudflare's quotas and prices as Tern spends them, checked against
 * Cloudflare's pricing and limits pages (December 2026; docs/costs.md lists
 * each page). Daily Free quotas reset at 00:00 UTC; the Free plan refuses
 * what goes over, the Paid plan bills it.
 */
export const FREE_DAILY = {
	/** Workers requests (https://developers.cloudflare.com/workers/platform/limits/). */
	requests: 100_000,
	/** D1 (https://developers.cloudflare.com/d1/platform/pricing/). */
	d1RowsRead: 5_000_000,
	d1RowsWritten: 100_000,
	/** Queues: one operation per 64 KB written, read or deleted (https://developers.cloudflare.com/queues/platform/pricing/). */
	queueOperations: 10_000,
	/** Durable Objects (https://developers.cloudflare.com/durable-objects/platform/pricing/). */
	doRequests: 100_000,
} as const;

/** Free allowances counted per month rather than per day. */
export const FREE_MONTHLY = {
	/** R2 (https://developers.cloudflare.com/r2/pricing/): the same allowance applies on both plans. */
	r2StorageGbMonth: 10,
	r2ClassA: 1_000_000,
	r2ClassB: 10_000_000,
	/** Images, Free plan: unique transformations (https://developers.cloudflare.com/images/pricing/). */
	imagesTransformations: 5_000,
} as const;

/** The Free plan's CPU limit per invocation (https://developers.cloudflare.com/workers/platform/limits/). */
export const FREE_CPU_MS_PER_INVOCATION = 10;

/** Workers Paid (Standard usage model): what $5 a month includes and what the rest costs. */
export const PAID = {
	baseUsd: 5,
	requests: { included: 10_000_000, usdPerMillion: 0.3 },
	cpuMs: { included: 30_000_000, usdPerMillion: 0.02 },
	d1RowsRead: { included: 25_000_000_000, usdPerMillion: 0.001 },
	d1RowsWritten: { included: 50_000_000, usdPerMillion: 1.0 },
	d1StorageGb: { included: 5, usdPerGbMonth: 0.75 },
	queueOperations: { included: 1_000_000, usdPerMillion: 0.4 },
	r2ClassA: { included: 1_000_000, usdPerMillion: 4.5 },
	r2ClassB: { included: 10_000_000, usdPerMillion: 0.36 },
	r2StorageGb: { included: 10, usdPerGbMonth: 0.015 },
	doRequests: { included: 1_000_000, usdPerMillion: 0.15 },
	/** Images Paid: the first 5,000 unique transformations a month are included. */
	imagesTransformations: { included: 5_000, usdPerThousand: 0.5 },
} as const;

/** What one day (or month) uses of each billed dimension, in the units Cloudflare bills. */
export interface BilledUsage {
	requests: number;
	cpuMs: number;
	d1RowsRead: number;
	d1RowsWritten: number;
	queueOperations: number;
	r2ClassA: number;
	r2ClassB: number;
	doRequests: number;
	imagesTransformations: number;
}

export type FreeQuota = keyof typeof FREE_DAILY | "r2ClassA" | "r2ClassB" | "imagesTransformations";

/**
 * The counters' fields in billing units. Queue consumer and cron invocations
 * are counted as requests: Cloudflare's pricing page speaks of "inbound
 * requests" and does not say they are exempt, so the model assumes they count.
 */
export function billedFromCounts(counts: UsageCounts, cpuMs = 0): BilledUsage {
	return {
		requests: counts.requests + counts.queue_invocations + counts.cron_invocations,
		cpuMs,
		d1RowsRead: counts.d1_rows_read,
		d1RowsWritten: counts.d1_rows_written,
		queueOperations: counts.queue_writes + counts.queue_reads + counts.queue_deletes,
		r2ClassA: counts.r2_class_a,
		r2ClassB: counts.r2_class_b,
		doRequests: counts.do_requests,
		imagesTransformations: counts.images_transformations,
	};
}

/** Share of each Free quota a day's usage takes (1 = all of it). Monthly allowances are spread over 30 days. */
export function freeQuotaShares(daily: BilledUsage): Record<FreeQuota, number> {
	return {
		requests: daily.requests / FREE_DAILY.requests,
		d1RowsRead: daily.d1RowsRead / FREE_DAILY.d1RowsRead,
		d1RowsWritten: daily.d1RowsWritten / FREE_DAILY.d1RowsWritten,
		queueOperations: daily.queueOperations / FREE_DAILY.queueOperations,
		doRequests: daily.doRequests / FREE_DAILY.doRequests,
		r2ClassA: (daily.r2ClassA * 30) / FREE_MONTHLY.r2ClassA,
		r2ClassB: (daily.r2ClassB * 30) / FREE_MONTHLY.r2ClassB,
		imagesTransformations: (daily.imagesTransformations * 30) / FREE_MONTHLY.imagesTransformations,
	};
}

const over = (used: number, included: number) => Math.max(0, used - included);

/** The Paid plan's bill for a month of usage, line by line (USD). Storage is not in it: it depends on history, not traffic. */
export function paidMonthlyBill(monthly: BilledUsage): { total: number; lines: Record<string, number> } {
	const perMillion = (used: number, tier: { included: number; usdPerMillion: number }) =>
		(over(used, tier.included) / 1_000_000) * tier.usdPerMillion;
	const lines: Record<string, number> = {
		base: PAID.baseUsd,
		requests: perMillion(monthly.requests, PAID.requests),
		cpuMs: perMillion(monthly.cpuMs, PAID.cpuMs),
		d1RowsRead: perMillion(monthly.d1RowsRead, PAID.d1RowsRead),
		d1RowsWritten: perMillion(monthly.d1RowsWritten, PAID.d1RowsWritten),
		queueOperations: perMillion(monthly.queueOperations, PAID.queueOperations),
		r2ClassA: perMillion(monthly.r2ClassA, PAID.r2ClassA),
		r2ClassB: perMillion(monthly.r2ClassB, PAID.r2ClassB),
		doRequests: perMillion(monthly.doRequests, PAID.doRequests),
		imagesTransformations:
			(over(monthly.imagesTransformations, PAID.imagesTransformations.included) / 1000) *
			PAID.imagesTransformations.usdPerThousand,
	};
	const total = Object.values(lines).reduce((sum, usd) => sum + usd, 0);
	return { total, lines };
}

export function scaleUsage(usage: BilledUsage, factor: number): BilledUsage {
	return Object.fromEntries(
		Object.entries(usage).map(([key, value]) => [key, value * factor]),
	) as unknown as BilledUsage;
}

export function sumBilled(list: BilledUsage[]): BilledUsage {
	const total = scaleUsage(
		{
			requests: 0,
			cpuMs: 0,
			d1RowsRead: 0,
			d1RowsWritten: 0,
			queueOperations: 0,
			r2ClassA: 0,
			r2ClassB: 0,
			doRequests: 0,
			imagesTransformations: 0,
		},
		1,
	);
	for (const usage of list) {
		for (const key of Object.keys(total) as (keyof BilledUsage)[]) total[key] += usage[key];
	}
	return total;
}
