import { type D1Meter, invocationMeter, isBenchRun } from "../../db/stats";
import { recordUsage } from "./counters";
import { meteredEnv, UsageMeter } from "./meter";

export const USAGE_HEADER = "X-Tern-Usage";

/** One invocation of the Worker (a request, a queue batch, a cron run) and what it spends. */
export interface Invocation {
	/** The env to hand to everything else: its bindings count into `usage`. */
	env: Env;
	usage: UsageMeter;
	/** The untouched D1 binding the counters are written with (and keyed by). */
	d1: D1Database;
	bench: boolean;
}

export function startInvocation(env: Env, kind: "request" | "queue" | "cron"): Invocation {
	const usage = new UsageMeter(invocationMeter(env));
	if (kind === "request") usage.add("requests");
	else if (kind === "cron") usage.add("cron_invocations");
	return { env: meteredEnv(env, usage), usage, d1: env.DB, bench: isBenchRun(env) };
}

/** Adds the invocation's counts to the daily counters (written at most once a minute per isolate). */
export function finishInvocation(invocation: Invocation, exec: Pick<ExecutionContext, "waitUntil">): void {
	// Work left running after the response (relaying outbox events) still sends queue messages.
	invocation.usage.seal((counts) => recordUsage(invocation.d1, counts, exec));
}

/**
 * Work after the response (`waitUntil`) queries D1 through a database handle
 * of its own; its counts go into the day's counters when it ends.
 */
export function backgroundD1Meter(env: Env): { meter: D1Meter; finish: (label: string) => Promise<void> } {
	const meter = invocationMeter(env);
	const finish = async (label: string) => {
		const pending: Promise<unknown>[] = [];
		recordUsage(env.DB, new UsageMeter(meter).total(), { waitUntil: (promise) => pending.push(promise) });
		await Promise.all(pending);
		// The benchmark reads this line as it reads a queue invocation's.
		if (isBenchRun(env)) {
			meter.flushLog(`waitUntil.${label}`);
			console.log(`tern-d1 queue=waitUntil.${label} messages=1; ${meter.summary()}`);
		}
	};
	return { meter, finish };
}

/**
 * Under the benchmark, the response carries the invocation's D1 counts
 * (X-Tern-D1) and its other billed operations (X-Tern-Usage). The response is
 * copied because fetched responses have immutable headers.
 */
export function annotateForBench(invocation: Invocation, response: Response, label: string): Response {
	if (!invocation.bench) return response;
	const { d1 } = invocation.usage;
	d1.flushLog(label);
	const copy = d1.annotate(response);
	copy.headers.set(USAGE_HEADER, invocation.usage.summary());
	return copy;
}

/**
 * The queue consumer's log lines the benchmark reads: D1 and other usage
 * (`tern-d1 queue=… | usage …`) and queue operations (`tern-queue queue=…`).
 */
export function logQueueUsageForBench(invocation: Invocation, batch: MessageBatch<unknown>, acked: number): void {
	if (!invocation.bench) return;
	const { d1 } = invocation.usage;
	d1.flushLog(batch.queue);
	console.log(
		`tern-d1 queue=${batch.queue} messages=${batch.messages.length}; ${d1.summary()} | usage ${invocation.usage.summary()}`,
	);
	const received = batch.messages.length;
	const first = batch.messages.filter((m) => m.attempts <= 1).length;
	console.log(
		`tern-queue queue=${batch.queue} received=${received} first=${first} acked=${acked} retried=${received - acked}`,
	);
}
