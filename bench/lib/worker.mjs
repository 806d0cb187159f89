// Runs Tern's production bundle in workerd through Miniflare (the engine of
// `wrangler dev`), with local D1, Queues and R2 persisted in a state folder,
// and gives the PID of the workerd process so its CPU time can be read.
//
// Not `wrangler dev` itself: that adds a proxy workerd and an inspector session
// which cost ~2.5 ms of CPU per request on their own (measured on an empty
// Worker), more than the budgets being checked.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { descendants } from "./proc.mjs";

export function wranglerSync(root, args) {
	const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
	const result = spawnSync(process.execPath, [wrangler, ...args], {
		cwd: root,
		encoding: "utf8",
		env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) {
		throw new Error(`wrangler ${args.slice(0, 3).join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
	}
	return result.stdout;
}

/**
 * The bench runs the product's wrangler.toml with one change: queue batches
 * are handed to the consumer after 0.1 s instead of 1-2 s, so a run does not
 * spend its time waiting; 0.1 s still lets the request that enqueued finish
 * first, so its CPU and the consumer's are measured apart. Batches of many
 * messages (a delivery fan-out) still fill up to max_batch_size. It changes
 * when a consumer runs, not what it does.
 */
export function benchConfig(root) {
	const text = readFileSync(join(root, "wrangler.toml"), "utf8").replace(
		/max_batch_timeout = \d+/g,
		"max_batch_timeout = 0.1",
	);
	const path = join(root, `.wrangler-bench-${process.pid}.toml`);
	writeFileSync(path, text);
	return path;
}

/** Builds the Worker as `wrangler deploy` would; returns the output folder. */
export function buildWorker(root, outdir) {
	wranglerSync(root, ["deploy", "--dry-run", "--outdir", outdir]);
	return outdir;
}

function workerdPids() {
	return new Set(
		descendants(process.pid).filter((pid) => {
			try {
				return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("workerd");
			} catch {
				return false;
			}
		}),
	);
}

/** Starts a Miniflare instance and finds the workerd process it spawned. */
export async function startMiniflare(options) {
	// The Miniflare that wrangler itself runs, so workerd is the same version as in `wrangler dev`.
	const wranglerRequire = createRequire(resolve("node_modules/wrangler/package.json"));
	const { Miniflare, convertV4MiniflareOptions } = await import(
		pathToFileURL(wranglerRequire.resolve("miniflare")).href
	);
	const before = workerdPids();
	// The v4 option names carry everything but the shared-storage switch (see storage-host.mjs).
	const mf = new Miniflare({
		...convertV4MiniflareOptions(options),
		...(options.unsafeEnableSharedStorage ? { unsafeEnableSharedStorage: true } : {}),
	});
	const url = await mf.ready;
	const started = [...workerdPids()].filter((pid) => !before.has(pid));
	if (started.length !== 1) throw new Error(`expected one new workerd process, found ${started.length}`);
	return { mf, url, pid: started[0] };
}

export async function startWorker({ root, port, state, bundleDir, vars }) {
	const { sharedStorage } = await import("./storage-host.mjs");
	const config = benchConfig(root);
	const { unstable_getMiniflareWorkerOptions } = await import("wrangler");
	let workerOptions;
	try {
		({ workerOptions } = unstable_getMiniflareWorkerOptions(config));
	} finally {
		rmSync(config, { force: true });
	}
	// The bundle is already built: the only modules Miniflare would collect beside it are
	// WebAssembly files wrangler copied next to index.js (none since images left the Worker).
	const { modulesRules: _rules, rootPath: _root, ...bindingOptions } = workerOptions;
	const log = [];
	const listeners = new Set();
	const onLog = ({ level, message }) => {
		for (const line of String(message).split("\n")) {
			log.push(line);
			if (log.length > 5000) log.shift();
			for (const listener of listeners) listener(line);
		}
		// Errors stay visible (truncated); the rest is for the bench to read.
		if (level === "error") console.error(`[worker] ${String(message).split("\n")[0]?.slice(0, 300)}`);
	};
	const { mf, pid } = await startMiniflare({
		host: "127.0.0.1",
		port,
		// Where `wrangler dev --persist-to <state>` and `wrangler d1 execute --persist-to <state>` keep D1, R2 and
		// queues, served by the storage host's process (storage-host.mjs), not this one.
		...sharedStorage(state, "tern"),
		handleStructuredLogs: onLog,
		workers: [
			{
				...bindingOptions,
				name: "tern",
				modulesRoot: bundleDir,
				modules: [
					{ type: "ESModule", path: join(bundleDir, "index.js") },
					...readdirSync(bundleDir)
						.filter((name) => name.endsWith(".wasm"))
						.map((name) => ({ type: "CompiledWasm", path: join(bundleDir, name) })),
				],
				bindings: { ...bindingOptions.bindings, ...vars },
			},
		],
	});
	const { cpuNs } = await import("./proc.mjs");
	return {
		origin: `http://127.0.0.1:${port}`,
		vars,
		pid,
		mf,
		log,
		onLine(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		cpuNs: () => cpuNs(pid),
		async stop() {
			await mf.dispose();
		},
	};
}
