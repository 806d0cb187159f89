// Tern's benchmark. `npm run bench` (full dataset, budgets, bench/results.json)
// or `npm run bench:smoke` (tiny dataset, a few iterations, no verdict).
// Options: --port <n> (default 8831; the Worker on n, the peers on n+1 at
//          127.0.0.2…, the calibration Workers on n+2 and n+3),
//          --only a,b (scenario names), --iterations n, --keep-state, --out <file>
//          (instead of bench/results.json),
//          --no-d1-stats (CPU without the D1 accounting, to check what it costs),
//          --explain (print every D1 query of each scenario's first measured request).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { checkBudgets } from "./lib/budgets.mjs";
import { calibrate, withoutWaiting } from "./lib/calibration.mjs";
import { generateDataset, migratedTables, SIZES } from "./lib/dataset.mjs";
import { closeClient, send } from "./lib/http.mjs";
import { PeerNetwork, remoteKeyPairs } from "./lib/peer.mjs";
import { printReport } from "./lib/report.mjs";
import { idleRate, measure, throughput } from "./lib/runner.mjs";
import { loadServices } from "./lib/services.mjs";
import { median, p99, round } from "./lib/stats.mjs";
import { startStorageHost } from "./lib/storage-host.mjs";
import { buildWorker, startWorker, wranglerSync } from "./lib/worker.mjs";
import { SCENARIOS } from "./scenarios/index.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const smoke = args.includes("--smoke");
const port = Number(option("port", "8831"));
const only = option("only", "").split(",").filter(Boolean);
const sizes = smoke ? SIZES.smoke : SIZES.full;
const plan = smoke
	? {
			iterations: 5,
			warmup: 2,
			postIterations: 1,
			postWarmup: 1,
			throughput: 48,
			calibration: { noop: 5, queue: 3, known: 5, rsa: 2, ed25519: 3, pbkdf2: 2 },
		}
	: {
			iterations: 200,
			warmup: 20,
			postIterations: 30,
			postWarmup: 2,
			throughput: 800,
			calibration: { noop: 30, queue: 10, known: 30, rsa: 10, ed25519: 50, pbkdf2: 20 },
		};
if (option("iterations")) plan.iterations = Number(option("iterations"));
const d1Stats = !args.includes("--no-d1-stats");
const explain = args.includes("--explain");
const SECRET = "bench-only-key-encryption-secret-0123456789";
const log = (line) => console.log(`[bench] ${line}`);
const started = Date.now();

const state = mkdtempSync(join(tmpdir(), "tern-bench-"));
const peerPort = port + 1;
const peerHost = (d) => `127.0.0.${d + 2}:${peerPort}`;
let worker;
let peer;
let storage;
try {
	log(`${smoke ? "smoke" : "full"} run, state in ${state}`);
	const services = await loadServices(root);
	const cache = join(root, "node_modules", ".cache", "tern-bench");
	const remoteKeys = await remoteKeyPairs(sizes.domains, join(cache, "remote-keys.json"));
	const origin = `http://127.0.0.1:${port}`;
	const sqlPath = join(state, "seed.sql");
	let t = Date.now();
	const tables = migratedTables(join(root, "migrations"));
	const data = await generateDataset({
		sizes,
		origin,
		peerHost,
		remoteKeys,
		services,
		secret: SECRET,
		sqlPath,
		tables,
	});
	log(`generated ${data.rows} rows (${round(statSync(sqlPath).size / 1e6, 1)} MB of SQL) in ${Date.now() - t} ms`);
	t = Date.now();
	wranglerSync(root, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
	wranglerSync(root, ["d1", "execute", "DB", "--local", "--persist-to", state, "--file", sqlPath, "--yes"]);
	log(`loaded into local D1 in ${Date.now() - t} ms`);

	t = Date.now();
	const bundleDir = buildWorker(root, join(state, "dist"));
	const bundle = bundleSize(bundleDir);
	log(`built the Worker (${bundle.gzipKiB} KiB gzip) in ${Date.now() - t} ms`);

	peer = new PeerNetwork(data.remotes);
	await peer.listen(data.domains);
	storage = await startStorageHost({ state });
	log(`storage host (D1, R2, queues) up, workerd pid ${storage.pid}`);
	worker = await startWorker({
		root,
		port,
		state,
		bundleDir,
		vars: {
			INSTANCE_DOMAIN: `127.0.0.1:${port}`,
			INSTANCE_SCHEME: "http",
			REGISTRATION_MODE: "open",
			ALLOW_PRIVATE_ADDRESSES: "true",
			BENCH_STATS: explain ? "queries" : d1Stats ? "true" : "false",
			KEY_ENCRYPTION_SECRET: SECRET,
		},
	});
	log(`Worker up at ${worker.origin}, workerd pid ${worker.pid}`);
	// What bench/profile.mjs needs to replay requests against this state.
	writeFileSync(
		join(state, "data.json"),
		JSON.stringify({ origin: worker.origin, token: data.hub.token, vars: { ...worker.vars } }),
	);
	const ctx = {
		worker,
		peer,
		data,
		domain: `127.0.0.1:${port}`,
		runId: Date.now().toString(36),
		explain,
		idleNsPerMs: await idleRate(worker),
	};
	log(`idle workerd CPU: ${round(ctx.idleNsPerMs / 1e3, 2)} µs per ms`);

	const results = [];
	const skipped = [];
	for (const scenario of SCENARIOS) {
		if (only.length > 0 && !only.includes(scenario.name)) continue;
		const reason = (await scenario.prepare?.(ctx)) ?? (await missingRoute(ctx, scenario));
		if (reason) {
			skipped.push({ name: scenario.name, title: scenario.title, reason });
			log(`skip ${scenario.name}: ${reason}`);
			continue;
		}
		const isPost = scenario.name === "post-status";
		const run = isPost
			? { iterations: plan.postIterations, warmup: plan.postWarmup }
			: { iterations: plan.iterations, warmup: plan.warmup };
		const tScenario = Date.now();
		const result = await measure(ctx, scenario, run);
		if (scenario.kind === "read") {
			result.throughput = await throughput(ctx, scenario, { concurrency: 16, total: plan.throughput });
		}
		Object.assign(result, scenario.summarize?.(ctx) ?? {});
		result.timeline = Boolean(scenario.timeline);
		if (scenario.cpuBudget) result.cpuBudget = scenario.cpuBudget;
		results.push(result);
		log(`${scenario.name}: cpu median ${result.cpuMs.median} ms, ${Date.now() - tScenario} ms`);
	}

	log("calibrating: the local setup's cost per request and per binding call, a known workload, crypto");
	const calibration = await calibrate({ root, port: port + 2, state, runs: plan.calibration });
	const { crypto } = calibration;
	for (const result of results) estimateWorkerCpu(result, calibration);
	const report = {
		mode: smoke ? "smoke" : "full",
		takenAt: new Date().toISOString(),
		durationSeconds: Math.round((Date.now() - started) / 1000),
		machine: machine(),
		dataset: {
			localAccounts: sizes.locals,
			remoteAccounts: data.remotes.length,
			remoteDomains: data.domains.length,
			statuses: sizes.statuses,
			hubFollowers: data.hubFollowers,
			hubFollowerInboxes: data.hubFollowerInboxes,
			hubHomeFeedRows: data.homeFeedSize,
			rows: data.rows,
		},
		idleWorkerdCpuUsPerMs: round(ctx.idleNsPerMs / 1e3, 3),
		scenarios: results,
		skipped,
		calibration,
		crypto,
		bundle,
	};
	report.standingRatios = standingRatios(report);
	report.budgets = checkBudgets(report);
	printReport(report, { verdict: !smoke });
	const out = option("out")
		? resolve(option("out"))
		: smoke
			? join(tmpdir(), "tern-bench-smoke-results.json")
			: join(root, "bench", "results.json");
	mkdirSync(dirname(out), { recursive: true });
	writeFileSync(out, `${JSON.stringify(report, null, "\t")}\n`);
	log(`wrote ${out} (${report.durationSeconds} s)`);
	process.exitCode = !smoke && report.budgets.some((b) => b.verdict === "FAIL") ? 1 : 0;
} finally {
	await worker?.stop();
	await storage?.stop();
	await peer?.close();
	closeClient();
	if (!args.includes("--keep-state")) rmSync(state, { recursive: true, force: true });
	else log(`state kept in ${state} (bench/profile.mjs --state ${state} profiles a request against it)`);
}

/** The Worker's catch-all answers 404 {"error":"Not found"}: the route is not built (yet). */
async function missingRoute(ctx, scenario) {
	const response = await send(ctx.worker.origin, await scenario.request(ctx, 999_999));
	if (response.status === 404 && response.text.trim() === '{"error":"Not found"}') return "endpoint not built";
	if (response.status === 501) return "endpoint answers 501";
	return null;
}

function bundleSize(outdir) {
	let raw = 0;
	let gzip = 0;
	for (const name of readdirSync(outdir, { recursive: true })) {
		const path = join(outdir, name);
		if (!statSync(path).isFile() || name.endsWith(".map") || name === "README.md") continue;
		const bytes = readFileSync(path);
		raw += bytes.length;
		gzip += gzipSync(bytes, { level: 9 }).length;
	}
	return { bytes: raw, gzipBytes: gzip, gzipKiB: round(gzip / 1024, 1) };
}

function machine() {
	const run = (command, commandArgs) => spawnSync(command, commandArgs, { encoding: "utf8" }).stdout.trim();
	const model = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model;
	return {
		nproc: Number(run("nproc", [])) || cpus().length,
		cpuModel: model,
		memoryGiB: round(totalmem() / 2 ** 30, 1),
		loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" "),
		node: process.version,
	};
}

/**
 * The Worker's own CPU for each measured request: the Worker's process CPU
 * minus what only the local setup spends there. D1, R2 and the queues run in
 * the storage host's process (storage-host.mjs), so no SQLite work is in the
 * measured process; what is left of the local setup is workerd's HTTP handling
 * and Miniflare's entry worker (an empty request) and the plumbing of each
 * binding call, measured per call on a trivial call, and the CPU workerd burns
 * locally while a request waits on I/O (calibration.mjs).
 */
function localCostMs(calibration, { roundTrips = 0, usage = {} }) {
	return (
		roundTrips * calibration.d1RoundTripMs +
		(usage.r2_class_a ?? 0) * calibration.r2PutMs +
		(usage.r2_class_b ?? 0) * calibration.r2GetMs +
		(usage.queue_writes ?? 0) * calibration.queueSendMs +
		(usage.images_transformations ?? 0) * (calibration.imagesCallMs ?? 0)
	);
}

function estimateWorkerCpu(result, calibration) {
	const { cpu, wall, roundTrips, usage } = result.samples;
	const worker = cpu.map((ms, i) =>
		Math.max(
			0,
			withoutWaiting(ms, wall[i], calibration.waitRate) -
				calibration.emptyRequestMs -
				localCostMs(calibration, { roundTrips: roundTrips[i], usage: usage[i] }),
		),
	);
	result.cpuWorkerMs = { median: round(median(worker), 3), p99: round(p99(worker), 3) };
	delete result.samples;
	if (!result.queue) return;
	const perInvocation = result.queue.samples
		.filter((q) => q.invocations > 0)
		.map(
			(q) =>
				Math.max(0, q.cpu - q.invocations * calibration.queueInvocationMs - localCostMs(calibration, q)) /
				q.invocations,
		);
	result.queue.cpuWorkerMsPerInvocation = {
		median: round(median(perInvocation), 3),
		p99: round(p99(perInvocation), 3),
	};
	delete result.queue.samples;
}

/**
 * The fixed cost per request as a ratio to a fixed workload measured in the
 * same run (the calibration's known workload: 40 × FNV-1a over 64 KiB, pure
 * JavaScript, in the same workerd): CPU figures move with the machine and its
 * load, the ratio much less, so runs on different days and machines compare.
 * docs/performance.md sets Hollo's figures from the side-by-side beside them.
 */
function standingRatios(report) {
	const reference = report.calibration?.known?.aloneMs;
	if (!reference) return null;
	const ratio = (name) => {
		const s = report.scenarios.find((x) => x.name === name);
		return s ? round(s.cpuWorkerMs.median / reference, 3) : null;
	};
	return {
		referenceMs: reference,
		verifyCredentials: ratio("verify-credentials"),
		homeFirst: ratio("home-first"),
		homeToVerify:
			ratio("home-first") && ratio("verify-credentials")
				? round(ratio("home-first") / ratio("verify-credentials"), 2)
				: null,
	};
}
