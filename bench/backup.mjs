// Backup and restore on the bench dataset: `node bench/backup.mjs` (full
// dataset) or `--smoke` (tiny). The production bundle runs in workerd through
// Miniflare with local D1, Queues and R2, as in `npm run bench`. The cron
// handler starts a backup; every `backup.step` invocation of the jobs queue is
// measured (CPU of the workerd process between two invocations' log lines,
// less its idle rate, and the D1 queries and rows each reports). Then the
// database is set aside and the backup restored into a new, empty one through
// the CLI's code in Node, which checks every table's row count and checksum.
// Writes bench/backup-results.json (smoke: the temp folder).
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { generateDataset, migratedTables, SIZES } from "./lib/dataset.mjs";
import { remoteKeyPairs } from "./lib/peer.mjs";
import { idleRate, queueLine } from "./lib/runner.mjs";
import { loadServices } from "./lib/services.mjs";
import { quantile, round } from "./lib/stats.mjs";
import { buildWorker, startWorker, wranglerSync } from "./lib/worker.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const portAt = args.indexOf("--port");
const port = portAt >= 0 ? Number(args[portAt + 1]) : 8851;
const sizes = smoke ? SIZES.smoke : SIZES.full;
const SECRET = "bench-only-key-encryption-secret-0123456789";
const log = (line) => console.log(`[backup-bench] ${line}`);
const state = mkdtempSync(join(tmpdir(), "tern-backup-bench-"));
let worker;
try {
	const services = await loadServices(root);
	const remoteKeys = await remoteKeyPairs(
		sizes.domains,
		join(root, "node_modules", ".cache", "tern-bench", "remote-keys.json"),
	);
	const origin = `http://127.0.0.1:${port}`;
	const sqlPath = join(state, "seed.sql");
	const data = await generateDataset({
		sizes,
		origin,
		peerHost: (d) => `127.0.0.${d + 2}:${port + 1}`,
		remoteKeys,
		services,
		secret: SECRET,
		sqlPath,
		tables: migratedTables(join(root, "migrations")),
	});
	wranglerSync(root, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
	wranglerSync(root, ["d1", "execute", "DB", "--local", "--persist-to", state, "--file", sqlPath, "--yes"]);
	log(`dataset: ${data.rows} rows loaded`);
	const bundleDir = buildWorker(root, join(state, "dist"));
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
			BENCH_STATS: "true",
			KEY_ENCRYPTION_SECRET: SECRET,
		},
	});
	const idle = await idleRate(worker);

	// Each jobs-queue invocation logs one line; the CPU between two lines is that invocation's.
	const steps = [];
	let last = worker.cpuNs();
	let lastAt = performance.now();
	let quietSince = performance.now();
	const stop = worker.onLine((line) => {
		const parsed = queueLine(line);
		if (parsed?.queue !== "tern-jobs") return;
		const now = worker.cpuNs();
		const at = performance.now();
		steps.push({ ...parsed, cpuMs: Math.max(0, (now - last - idle * (at - lastAt)) / 1e6), wallMs: at - lastAt });
		last = now;
		lastAt = at;
		quietSince = at;
	});
	const started = performance.now();
	const scheduled = await (await worker.mf.getWorker("tern")).scheduled({ cron: "*/10 * * * *" });
	log(`cron ran (${scheduled.outcome}); waiting for the backup steps`);
	last = worker.cpuNs();
	lastAt = performance.now();
	for (;;) {
		await new Promise((r) => setTimeout(r, 500));
		const rows = await d1All(worker, "select state, size, tables, rows from backups order by id desc limit 1");
		if (rows[0]?.state === "done" && performance.now() - quietSince > 1000) break;
		if (rows[0]?.state === "failed") throw new Error("the backup failed");
		if (performance.now() - started > 30 * 60 * 1000) throw new Error("the backup did not finish in 30 minutes");
	}
	stop();
	const backupMs = performance.now() - started;
	const [backup] = await d1All(worker, "select id, size, tables, rows from backups order by id desc limit 1");
	await worker.stop();
	worker = undefined;
	log(`backup ${backup.id}: ${steps.length} invocations, ${round(backupMs / 1000, 1)} s`);

	// The database goes; the bucket (with the backup) stays. Restore through the CLI's own code.
	renameSync(join(state, "v3", "d1"), join(state, "v3", "d1-before"));
	const cli = await loadCli();
	const { getPlatformProxy } = await import("wrangler");
	const proxy = await getPlatformProxy({
		configPath: join(root, "wrangler.toml"),
		persist: { path: join(state, "v3") },
	});
	const out = [];
	const restoreStarted = performance.now();
	const code = await cli.runCli(
		["backup", "restore", backup.id],
		{ ...proxy.env, KEY_ENCRYPTION_SECRET: SECRET },
		{
			out: (line) => out.push(line),
			err: (line) => out.push(`ERR ${line}`),
		},
	);
	const restoreMs = performance.now() - restoreStarted;
	await proxy.dispose();
	log(out.at(-1));
	if (code !== 0) throw new Error(`restore failed:\n${out.join("\n")}`);

	const cpu = steps.map((s) => s.cpuMs);
	const report = {
		mode: smoke ? "smoke" : "full",
		takenAt: new Date().toISOString(),
		machine: `${cpus().length} CPUs (${cpus()[0]?.model ?? "?"})`,
		dataset: { statuses: sizes.statuses, rows: data.rows },
		backup: {
			id: backup.id,
			tables: backup.tables,
			rows: backup.rows,
			sizeBytes: backup.size,
			invocations: steps.length,
			wallSeconds: round(backupMs / 1000, 1),
			cpuMs: {
				median: round(quantile(cpu, 0.5), 3),
				p99: round(quantile(cpu, 0.99), 3),
				max: round(Math.max(...cpu), 3),
				total: round(
					cpu.reduce((a, b) => a + b, 0),
					1,
				),
			},
			queries: {
				median: quantile(
					steps.map((s) => s.queries),
					0.5,
				),
				max: Math.max(...steps.map((s) => s.queries)),
			},
			rowsRead: {
				median: quantile(
					steps.map((s) => s.rowsRead),
					0.5,
				),
				max: Math.max(...steps.map((s) => s.rowsRead)),
			},
		},
		restore: { seconds: round(restoreMs / 1000, 1), verified: out.at(-1) },
	};
	const file = smoke ? join(tmpdir(), "tern-backup-bench.json") : join(root, "bench", "backup-results.json");
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, `${JSON.stringify(report, null, "\t")}\n`);
	console.log(JSON.stringify(report, null, 2));
} finally {
	await worker?.stop();
	rmSync(state, { recursive: true, force: true });
}

async function d1All(w, query) {
	const db = await w.mf.getD1Database("DB");
	return (await db.prepare(query).all()).results;
}

async function loadCli() {
	const outfile = join(root, "node_modules", ".cache", "tern-bench", "cli.mjs");
	await build({
		entryPoints: [join(root, "src", "cli", "main.ts")],
		bundle: true,
		format: "esm",
		platform: "neutral",
		target: "es2022",
		outfile,
		logLevel: "error",
	});
	return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
