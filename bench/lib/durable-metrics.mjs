// What a request costs besides its own response, summed per request: the
// queue operations and the D1 rows of the background work it caused (queue
// consumers and waitUntil tasks, from the Worker's `tern-d1 queue=…` and
// `tern-queue …` log lines). Wraps a scenario without changing what it does.
import { parseD1, queueLine } from "./runner.mjs";
import { mean, median, round } from "./stats.mjs";

/**
 * `tern-queue queue=… received=N first=F acked=A retried=R`: one consumer
 * invocation. Cloudflare bills a message's write, each read (the first
 * delivery and every retry) and its delete (the ack), per 64 KB.
 */
export function queueOpsLine(line) {
	const match = /tern-queue queue=(\S+) received=(\d+) first=(\d+) acked=(\d+) retried=(\d+)/.exec(line);
	if (!match) return null;
	return {
		queue: match[1],
		received: Number(match[2]),
		first: Number(match[3]),
		acked: Number(match[4]),
		retried: Number(match[5]),
	};
}

function opsOf(invocations, consumerLines) {
	if (consumerLines.length > 0) {
		return consumerLines.reduce((sum, l) => sum + l.first + l.received + l.acked, 0);
	}
	// A Worker that logs no `tern-queue` lines acks every message at its first
	// read (true of the code before these lines existed, short of failures):
	// one write, one read and one delete each.
	return invocations.filter((l) => !l.queue.startsWith("waitUntil.")).reduce((sum, l) => sum + 3 * l.messages, 0);
}

/** Wraps `scenario` so its summary gains `background`: per-request queue operations and D1 rows of the work it caused. */
export function withBackgroundCosts(scenario) {
	const perIteration = new Map();
	let current = -1;
	let stop = null;
	const entry = (i) => {
		if (!perIteration.has(i)) {
			perIteration.set(i, { request: null, invocations: [], consumers: [] });
		}
		return perIteration.get(i);
	};
	return {
		...scenario,
		async prepare(ctx) {
			const reason = (await scenario.prepare?.(ctx)) ?? null;
			if (reason) return reason;
			stop = ctx.worker.onLine((line) => {
				if (current < 0) return;
				const invocation = queueLine(line);
				if (invocation) entry(current).invocations.push(invocation);
				const consumer = queueOpsLine(line);
				if (consumer) entry(current).consumers.push(consumer);
			});
			return null;
		},
		request(ctx, i) {
			// The probe for a missing route asks for i = 999999; it is not measured.
			if (i < 999_999 && i < 100_000) current = i;
			return scenario.request(ctx, i);
		},
		async after(ctx, i, response) {
			if (i < 100_000) entry(i).request = parseD1(response.headers["x-tern-d1"]);
			await scenario.after?.(ctx, i, response);
		},
		summarize(ctx) {
			stop?.();
			current = -1;
			const base = scenario.summarize?.(ctx) ?? {};
			// Every run but the first (cold caches), warm-up runs included: these are counts, not timings.
			const measured = [...perIteration.entries()].filter(([i]) => i > 0).map(([, v]) => v);
			if (measured.length === 0) return base;
			const rowsWritten = measured.map(
				(m) => (m.request?.rowsWritten ?? 0) + m.invocations.reduce((s, l) => s + l.rowsWritten, 0),
			);
			const rowsRead = measured.map(
				(m) => (m.request?.rowsRead ?? 0) + m.invocations.reduce((s, l) => s + l.rowsRead, 0),
			);
			const backgroundWritten = measured.map((m) => m.invocations.reduce((s, l) => s + l.rowsWritten, 0));
			const ops = measured.map((m) => opsOf(m.invocations, m.consumers));
			const waitUntil = measured.map((m) => m.invocations.filter((l) => l.queue.startsWith("waitUntil.")).length);
			const consumerInvocations = measured.map(
				(m) => m.invocations.filter((l) => !l.queue.startsWith("waitUntil.")).length,
			);
			return {
				...base,
				background: {
					requests: measured.length,
					queueOpsPerRequest: { mean: round(mean(ops), 2), median: median(ops), max: Math.max(...ops) },
					queueOpsCounted: measured.some((m) => m.consumers.length > 0) ? "consumer log" : "3 per message",
					consumerInvocationsPerRequest: round(mean(consumerInvocations), 2),
					waitUntilTasksPerRequest: round(mean(waitUntil), 2),
					rowsWrittenPerRequest: { median: median(rowsWritten), max: Math.max(...rowsWritten) },
					backgroundRowsWrittenPerRequest: { median: median(backgroundWritten), max: Math.max(...backgroundWritten) },
					rowsReadPerRequest: { median: median(rowsRead), max: Math.max(...rowsRead) },
				},
			};
		},
	};
}
