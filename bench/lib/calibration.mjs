// What the local setup costs the Worker's process per request, per D1 round
// trip, per R2 call, per queue message and per Cloudflare Images call (Sharp
// runs in Node; the plumbing to it runs in workerd), measured on the bench-only Worker in
// bench/calibration-worker/ in the same split setup as Tern (its storage in the
// storage host's process). Also: a known workload, to check that the Worker CPU
// estimate recovers it whatever D1 does meanwhile, and the product's key
// generation and password hashing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { send } from "./http.mjs";
import { cpuNs } from "./proc.mjs";
import { median, round, sleep } from "./stats.mjs";
import { sharedStorage } from "./storage-host.mjs";
import { startMiniflare } from "./worker.mjs";

async function bundleCalibrationWorker(root) {
	const bundled = await build({
		entryPoints: [join(root, "bench", "calibration-worker", "index.ts")],
		bundle: true,
		format: "esm",
		platform: "neutral",
		target: "es2022",
		write: false,
		logLevel: "error",
	});
	return bundled.outputFiles[0].text;
}

function workerOptions(script) {
	return {
		name: "calibration",
		modules: true,
		script,
		compatibilityDate: "2026-11-01",
		d1Databases: { DB: "bench-calibration" },
		r2Buckets: { BUCKET: "bench-calibration" },
		queueProducers: { QUEUE: { queueName: "bench-calibration" } },
		queueConsumers: { "bench-calibration": { maxBatchSize: 1, maxBatchTimeout: 0.05 } },
		images: { binding: "IMAGES" },
	};
}

/**
 * The process's CPU for a request, less what it burns while the request waits
 * on I/O: locally workerd spends some tens of microseconds of CPU per
 * millisecond a request stays open, even on a timer (`waitRate`, measured
 * below); production counts only the time the isolate runs.
 */
export function withoutWaiting(cpuMs, wallMs, waitRate) {
	return cpuMs - waitRate * Math.max(0, wallMs - cpuMs);
}

/**
 * Median workerd CPU (ms), wait taken out, of each path, sampled in rounds that
 * visit every path once in a shuffled order: the machine is shared, and load
 * that comes and goes then falls on all of them alike instead of on whichever
 * ran during it.
 */
function sampler(origin, pid, calibration) {
	const one = async (path) => {
		const before = cpuNs(pid);
		const response = await send(origin, { path });
		await sleep(2);
		if (response.status !== 200) throw new Error(`calibration ${path}: ${response.status} ${response.text}`);
		return withoutWaiting((cpuNs(pid) - before) / 1e6, response.ms, calibration.waitRate ?? 0);
	};
	return async (paths, rounds) => {
		const values = new Map(paths.map((path) => [path, []]));
		for (const path of paths) for (let i = 0; i < 2; i++) await one(path);
		for (let round = 0; round < rounds; round++) {
			const order = [...paths].sort(() => Math.random() - 0.5);
			for (const path of order) values.get(path).push(await one(path));
		}
		return Object.fromEntries(paths.map((path) => [path, median(values.get(path))]));
	};
}

/**
 * The cost of one queue message to the consumer's side: the request that sends
 * it is not counted, only what the process does until the consumer has run.
 */
async function queueInvocationMs(origin, pid, lines, count) {
	const values = [];
	for (let i = 0; i < count + 2; i++) {
		const seen = lines.length;
		await send(origin, { path: "/queue-send?n=1" });
		const before = cpuNs(pid);
		const started = performance.now();
		while (lines.length === seen && performance.now() - started < 5_000) await sleep(2);
		// The consumer's log line is written before its invocation ends.
		await sleep(100);
		if (i >= 2) values.push((cpuNs(pid) - before) / 1e6);
	}
	return median(values);
}

/**
 * The known workload, measured three ways: alone (its true cost: there is no
 * D1 work to take out), with heavy, wide and trivial D1 queries in the split
 * setup (estimate: cpu − empty request − round trips × one round trip), and
 * with heavy queries on an in-process D1 as the bench used to run it
 * (estimate: cpu − empty request − queries × one in-process query).
 */
const UNITS = 40;
const QUERIES = 10;
const KNOWN = {
	alone: `/known?n=${UNITS}`,
	heavy: `/known?n=${UNITS}&heavy=${QUERIES}`,
	wide: `/known?n=${UNITS}&wide=${QUERIES}`,
	trivial: `/known?n=${UNITS}&trivial=${QUERIES}`,
};

export async function calibrate({ root, port, state, runs }) {
	const script = await bundleCalibrationWorker(root);
	const lines = [];
	const { mf, pid } = await startMiniflare({
		host: "127.0.0.1",
		port,
		...sharedStorage(state, "calibration"),
		handleStructuredLogs: ({ message }) => {
			if (String(message).startsWith("calibration-queue")) lines.push(message);
		},
		workers: [workerOptions(script)],
	});
	// The same Worker with its own in-process D1, only to show what the previous estimate made of the known workload.
	const localState = mkdtempSync(join(tmpdir(), "tern-bench-local-"));
	const local = await startMiniflare({
		host: "127.0.0.1",
		port: port + 1,
		resourcePersistencePath: localState,
		workers: [workerOptions(script)],
	});
	const origin = `http://127.0.0.1:${port}`;
	try {
		const settings = {};
		const sample = sampler(origin, pid, settings);
		const raw = await sample(["/noop", "/wait?n=10"], runs.noop);
		// 10 waits of 10 ms: the extra CPU per extra millisecond the request stayed open.
		const extra = raw["/wait?n=10"] - raw["/noop"];
		settings.waitRate = Math.max(0, extra / (10 * 10 - extra));
		const queueInvocation = await queueInvocationMs(origin, pid, lines, runs.queue);
		const calls = {
			d1: "/d1?n=10",
			r2Put: "/r2-put?n=5",
			r2Get: "/r2-get?n=5",
			queue: "/queue-send?n=5",
			images: "/images?n=3",
		};
		const measured = await sample(["/noop", ...Object.values(calls), ...Object.values(KNOWN)], runs.noop);
		const emptyMs = measured["/noop"];
		const per = (path) => (measured[path] - emptyMs) / Number(new URL(path, "http://x").searchParams.get("n"));
		const roundTripMs = per(calls.d1);

		const localSample = sampler(`http://127.0.0.1:${port + 1}`, local.pid, settings);
		const localMeasured = await localSample(["/noop", calls.d1, KNOWN.heavy], runs.known);
		const localQueryMs = (localMeasured[calls.d1] - localMeasured["/noop"]) / 10;
		const estimate = (path) => round(measured[path] - emptyMs - QUERIES * roundTripMs, 3);
		const known = {
			units: UNITS,
			queries: QUERIES,
			aloneMs: round(measured[KNOWN.alone] - emptyMs, 3),
			withHeavyQueriesMs: estimate(KNOWN.heavy),
			withWideQueriesMs: estimate(KNOWN.wide),
			withTrivialQueriesMs: estimate(KNOWN.trivial),
			inProcessCpuWithHeavyQueriesMs: round(localMeasured[KNOWN.heavy], 3),
			inProcessEstimateWithHeavyQueriesMs: round(
				localMeasured[KNOWN.heavy] - localMeasured["/noop"] - QUERIES * localQueryMs,
				3,
			),
		};
		const r2PutMs = per(calls.r2Put);
		const r2GetMs = per(calls.r2Get);
		const queueSendMs = per(calls.queue);
		const imagesCallMs = per(calls.images);

		const cost = async (path, count) => round(Math.max(0, (await sample([path], count))[path] - emptyMs), 3);
		return {
			waitRate: round(settings.waitRate, 4),
			emptyRequestMs: round(emptyMs, 3),
			d1RoundTripMs: round(roundTripMs, 3),
			r2PutMs: round(r2PutMs, 3),
			r2GetMs: round(r2GetMs, 3),
			queueSendMs: round(queueSendMs, 3),
			imagesCallMs: round(imagesCallMs, 3),
			queueInvocationMs: round(queueInvocation, 3),
			inProcessD1QueryMs: round(localQueryMs, 3),
			known,
			crypto: {
				rsa2048KeygenMs: await cost("/rsa", runs.rsa),
				ed25519KeygenMs: await cost("/ed25519", runs.ed25519),
				pbkdf2PasswordHashMs: await cost("/pbkdf2", runs.pbkdf2),
				pbkdf2Sha256Per50kMs: await cost("/pbkdf2-raw?n=50000", runs.pbkdf2),
				pbkdf2Sha256Per100kMs: await cost("/pbkdf2-raw?n=100000", runs.pbkdf2),
				pbkdf2Sha256Per600kMs: await cost("/pbkdf2-raw?n=600000", Math.max(2, Math.ceil(runs.pbkdf2 / 4))),
			},
			media: {
				hashThumbnailMs: await cost("/hash-thumbnail", runs.known),
			},
			note: "median CPU of the Worker's workerd process, minus an empty request's; D1, R2 and queues run in the storage host's process",
		};
	} finally {
		await mf.dispose();
		await local.mf.dispose();
		rmSync(localState, { recursive: true, force: true });
	}
}
