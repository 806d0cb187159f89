// The budgets of docs/performance.md, checked against one run's numbers.
import { durableBudgets } from "./durable-budgets.mjs";

export const BUDGETS = {
	cpuMedianMs: 1,
	cpuP99Ms: 10,
	/** The Free plan's CPU limit per invocation, which a queue batch must stay under too. */
	invocationCpuMs: 10,
	queriesPerInvocation: 10,
	timelinePageRows: 80,
	bundleGzipBytes: 1024 * 1024,
	/** Streaming (issue 14): one object request per listening account per event, and cheap per event. */
	streamObjectRequestsPerEvent: 1,
	streamCpuPerEventMs: 2,
};

export function checkBudgets(report) {
	const checks = [];
	const check = (name, budget, actual, ok) =>
		checks.push({
			name,
			budget,
			actual,
			verdict: actual === null || actual === undefined ? "N/A" : ok ? "PASS" : "FAIL",
		});

	for (const s of report.scenarios) {
		const cpu = s.cpuBudget ?? { median: BUDGETS.cpuMedianMs, p99: BUDGETS.cpuP99Ms };
		check(
			`${s.name}: request CPU (Worker)${s.cpuBudget ? ` (${s.cpuBudget.why})` : ""}`,
			`${cpu.median !== undefined ? `median ≤ ${cpu.median} ms, ` : ""}p99 ≤ ${cpu.p99} ms`,
			`${s.cpuWorkerMs.median} / ${s.cpuWorkerMs.p99} ms`,
			(cpu.median === undefined || s.cpuWorkerMs.median <= cpu.median) && s.cpuWorkerMs.p99 <= cpu.p99,
		);
		check(
			`${s.name}: D1 queries per request`,
			`≤ ${BUDGETS.queriesPerInvocation}`,
			s.d1.queries.max,
			s.d1.queries.max <= BUDGETS.queriesPerInvocation,
		);
		if (s.timeline) {
			check(
				`${s.name}: rows read per page`,
				`≤ ${BUDGETS.timelinePageRows}`,
				s.d1.rowsRead.max,
				s.d1.rowsRead.max <= BUDGETS.timelinePageRows,
			);
		}
		if (s.queue) {
			const perInvocation = s.queue.cpuWorkerMsPerInvocation?.median ?? null;
			check(
				`${s.name}: queue CPU per invocation (Worker)`,
				`≤ ${BUDGETS.invocationCpuMs} ms`,
				perInvocation,
				perInvocation <= BUDGETS.invocationCpuMs,
			);
			check(
				`${s.name}: D1 queries per queue invocation`,
				`≤ ${BUDGETS.queriesPerInvocation}`,
				s.queue.d1PerInvocation.queries.max,
				s.queue.d1PerInvocation.queries.max <= BUDGETS.queriesPerInvocation,
			);
		}
		if (s.delivery) {
			check(
				`${s.name}: inboxes reached per post`,
				`= ${s.delivery.expectedInboxes} (one per shared inbox, not ${s.delivery.followers})`,
				`${s.delivery.inboxesReachedMin}..${s.delivery.inboxesReachedMax} (${s.delivery.deliveriesPerPost} deliveries)`,
				s.delivery.inboxesReachedMin === s.delivery.expectedInboxes &&
					s.delivery.deliveriesPerPost <= s.delivery.expectedInboxes,
			);
		}
		if (s.streaming) streamingBudgets(s.name, s.streaming, check);
	}
	durableBudgets(report, check);
	check(
		"Worker bundle (gzip)",
		`< ${BUDGETS.bundleGzipBytes / 1024} KiB`,
		report.bundle ? `${report.bundle.gzipKiB} KiB` : null,
		report.bundle && report.bundle.gzipBytes < BUDGETS.bundleGzipBytes,
	);
	return checks;
}

/** The streaming scenario's figures against docs/performance.md's "Streaming (issue 14)" budgets. */
function streamingBudgets(name, x, check) {
	check(
		`${name}: Durable Object requests per delivered event`,
		`≤ ${BUDGETS.streamObjectRequestsPerEvent}`,
		x.objectRequestsPerDeliveredEvent,
		x.objectRequestsPerDeliveredEvent <= BUDGETS.streamObjectRequestsPerEvent,
	);
	check(
		`${name}: CPU per delivered event (all workerd, live less quiet post)`,
		`≤ ${BUDGETS.streamCpuPerEventMs} ms`,
		x.cpuMsPerDeliveredEvent,
		x.cpuMsPerDeliveredEvent <= BUDGETS.streamCpuPerEventMs,
	);
	check(`${name}: D1 queries in the objects per post`, "= 0", x.objectD1QueriesPerPost, x.objectD1QueriesPerPost === 0);
	check(
		`${name}: object requests per idle connection-hour`,
		"= 0 (hibernation)",
		x.idle?.objectRequestsPerConnectionHour,
		x.idle?.objectRequestsPerConnectionHour === 0,
	);
	check(`${name}: posts a listener missed`, "= 0", x.missedPosts, x.missedPosts === 0);
}
