// Measurement: CPU of the Worker's workerd around each request (sequential),
// D1 usage from the X-Tern-D1 header, wall latency, queue work that a request
// caused, and throughput at a fixed concurrency.
import { send } from "./http.mjs";
import { max, mean, median, p99, round, sleep } from "./stats.mjs";

export function parseD1(value) {
	if (!value) return null;
	const out = {};
	for (const part of String(value).split(";")) {
		const [key, number] = part.trim().split("=");
		if (key) out[key] = Number(number);
	}
	return {
		queries: out.queries ?? 0,
		roundTrips: out.round_trips ?? 0,
		rowsRead: out.rows_read ?? 0,
		rowsWritten: out.rows_written ?? 0,
	};
}

/** Queue invocations seen in the Worker's log: `tern-d1 queue=… messages=N; queries=…`. */
export function queueLine(line) {
	const match = /tern-d1 queue=(\S+) messages=(\d+); (.*?)(?: \| usage (.*))?$/.exec(line);
	if (!match) return null;
	return { queue: match[1], messages: Number(match[2]), ...parseD1(match[3]), usage: parseUsage(match[4]) };
}

/** `X-Tern-Usage: r2_class_a=2; queue_messages=1; …`, what the Worker counted for one invocation. */
export function parseUsage(value) {
	const out = {};
	if (!value) return out;
	for (const part of String(value).split(";")) {
		const [key, number] = part.trim().split("=");
		if (key) out[key] = Number(number);
	}
	return out;
}

function meanUsage(list, count) {
	const total = sumUsage(list);
	return Object.fromEntries(Object.entries(total).map(([key, value]) => [key, round(value / Math.max(1, count), 3)]));
}

export function sumUsage(list) {
	const out = {};
	for (const usage of list) for (const [key, value] of Object.entries(usage ?? {})) out[key] = (out[key] ?? 0) + value;
	return out;
}

/** CPU the idle Worker process burns per millisecond (timers, the queue broker), subtracted from queue phases. */
export async function idleRate(worker, ms = 1500) {
	const before = worker.cpuNs();
	const started = performance.now();
	await sleep(ms);
	return (worker.cpuNs() - before) / (performance.now() - started);
}

/** Starts collecting the queue invocations the Worker logs (before the request that causes them). */
function collectQueueLines(worker) {
	const collector = { lines: [], last: performance.now() };
	collector.stop = worker.onLine((line) => {
		const parsed = queueLine(line);
		if (parsed) {
			collector.lines.push(parsed);
			collector.last = performance.now();
		}
	});
	return collector;
}

/**
 * Waits until the queues are quiet: no queue invocation finished for `quietMs`,
 * and `until(lines)` (if given) holds for the invocations seen so far.
 */
async function settle(collector, { until, quietMs = 150, timeoutMs = 15_000 }) {
	const started = performance.now();
	collector.last = Math.max(collector.last, started);
	try {
		for (;;) {
			await sleep(10);
			const quiet = performance.now() - collector.last >= quietMs;
			const done = until ? until(collector.lines) : true;
			if (quiet && done) return { lines: collector.lines, timedOut: false };
			if (performance.now() - started > timeoutMs) return { lines: collector.lines, timedOut: true };
		}
	} finally {
		collector.stop();
	}
}

/**
 * Runs a scenario `iterations` times after `warmup` runs, one request at a
 * time. With `scenario.queue`, waits after each request for the queue work it
 * caused and measures that separately.
 */
export async function measure(ctx, scenario, { iterations, warmup }) {
	const { worker } = ctx;
	const samples = { cpu: [], wall: [], queries: [], roundTrips: [], rowsRead: [], rowsWritten: [], usage: [] };
	const queue = {
		cpu: [],
		invocations: [],
		messages: 0,
		queries: [],
		roundTrips: [],
		rowsRead: [],
		rowsWritten: [],
		timeouts: 0,
		perRequest: [],
	};
	const statuses = new Map();
	let missingHeader = 0;
	for (let i = 0; i < warmup + iterations; i++) {
		const request = await scenario.request(ctx, i);
		const collector = scenario.queue ? collectQueueLines(worker) : null;
		const explained = ctx.explain && i === warmup ? [] : null;
		const stopExplain = explained
			? worker.onLine((line) => line.startsWith("tern-d1-query") && explained.push(line))
			: null;
		const before = worker.cpuNs();
		const response = await send(worker.origin, request);
		await sleep(2);
		const after = worker.cpuNs();
		statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
		if (!scenario.expect.includes(response.status) && !ctx.quiet) {
			console.error(`  ${scenario.name}: unexpected ${response.status} ${response.text.slice(0, 200)}`);
		}
		await scenario.after?.(ctx, i, response);
		if (explained) {
			await sleep(scenario.queue ? 500 : 50);
			stopExplain();
			console.log(
				`\n  D1 queries of one ${scenario.name} request${scenario.queue ? " and the queue work it caused" : ""}:`,
			);
			for (const line of explained) console.log(`    ${line.replace(/^tern-d1-query /, "")}`);
		}
		let queueResult;
		if (scenario.queue) {
			const started = performance.now();
			const cpuStart = worker.cpuNs();
			queueResult = await settle(collector, {
				until: scenario.queue.until ? (lines) => scenario.queue.until(lines, ctx) : undefined,
				quietMs: scenario.queue.quietMs,
				timeoutMs: scenario.queue.timeoutMs,
			});
			const elapsed = performance.now() - started;
			const cpu = Math.max(0, worker.cpuNs() - cpuStart - ctx.idleNsPerMs * elapsed);
			if (i >= warmup) {
				queue.cpu.push(cpu / 1e6);
				queue.invocations.push(queueResult.lines.length);
				queue.messages += queueResult.lines.reduce((sum, l) => sum + l.messages, 0);
				queue.queries.push(...queueResult.lines.map((l) => l.queries));
				queue.roundTrips.push(...queueResult.lines.map((l) => l.roundTrips));
				queue.perRequest.push({
					cpu: cpu / 1e6,
					invocations: queueResult.lines.length,
					roundTrips: queueResult.lines.reduce((sum, l) => sum + l.roundTrips, 0),
					usage: sumUsage(queueResult.lines.map((l) => l.usage)),
				});
				queue.rowsRead.push(...queueResult.lines.map((l) => l.rowsRead));
				queue.rowsWritten.push(...queueResult.lines.map((l) => l.rowsWritten));
				if (queueResult.timedOut) queue.timeouts++;
			}
		}
		if (i < warmup) continue;
		samples.cpu.push((after - before) / 1e6);
		samples.wall.push(response.ms);
		const d1 = parseD1(response.headers["x-tern-d1"]);
		if (!d1) missingHeader++;
		samples.queries.push(d1?.queries ?? 0);
		samples.roundTrips.push(d1?.roundTrips ?? 0);
		samples.usage.push(parseUsage(response.headers["x-tern-usage"]));
		samples.rowsRead.push(d1?.rowsRead ?? 0);
		samples.rowsWritten.push(d1?.rowsWritten ?? 0);
	}
	const result = {
		name: scenario.name,
		title: scenario.title,
		iterations,
		statuses: Object.fromEntries(statuses),
		cpuMs: { median: round(median(samples.cpu), 3), p99: round(p99(samples.cpu), 3), max: round(max(samples.cpu), 3) },
		wallMs: { median: round(median(samples.wall), 2), p99: round(p99(samples.wall), 2) },
		d1: {
			queries: { median: median(samples.queries), max: max(samples.queries) },
			roundTrips: { median: median(samples.roundTrips), max: max(samples.roundTrips) },
			rowsRead: { median: median(samples.rowsRead), max: max(samples.rowsRead) },
			rowsWritten: { median: median(samples.rowsWritten), max: max(samples.rowsWritten) },
		},
		missingD1Header: missingHeader,
		// Per-request samples for the Worker CPU estimate (estimateWorkerCpu); dropped from results.json.
		samples: { cpu: samples.cpu, wall: samples.wall, roundTrips: samples.roundTrips, usage: samples.usage },
	};
	// Mean billed operations per request, as the Worker counted them (X-Tern-Usage), for the cost model.
	result.usagePerRequest = meanUsage(samples.usage, iterations);
	if (scenario.queue) {
		result.queue = {
			cpuMsPerRequest: { median: round(median(queue.cpu), 3), p99: round(p99(queue.cpu), 3) },
			invocationsPerRequest: round(mean(queue.invocations), 2),
			messages: queue.messages,
			messagesPerRequest: round(queue.messages / iterations, 2),
			d1PerInvocation: {
				queries: { median: median(queue.queries), max: max(queue.queries) },
				roundTrips: { median: median(queue.roundTrips), max: max(queue.roundTrips) },
				rowsRead: { median: median(queue.rowsRead), max: max(queue.rowsRead) },
				rowsWritten: { median: median(queue.rowsWritten), max: max(queue.rowsWritten) },
			},
			timeouts: queue.timeouts,
			usagePerRequest: meanUsage(
				queue.perRequest.map((q) => q.usage),
				iterations,
			),
			samples: queue.perRequest,
		};
	}
	return result;
}

/** Requests per second with `concurrency` requests in flight, over `total` requests. */
export async function throughput(ctx, scenario, { concurrency, total }) {
	let next = 0;
	let failures = 0;
	const started = performance.now();
	const cpuBefore = ctx.worker.cpuNs();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < total) {
				const i = next++;
				const response = await send(ctx.worker.origin, await scenario.request(ctx, 100_000 + i));
				if (!scenario.expect.includes(response.status)) failures++;
			}
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	return {
		concurrency,
		requests: total,
		failures,
		requestsPerSecond: round(total / seconds, 1),
		cpuMsPerRequest: round((ctx.worker.cpuNs() - cpuBefore) / 1e6 / total, 3),
	};
}
