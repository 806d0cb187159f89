// Runs the local D1, R2, KV and queue simulators in a workerd process of their
// own, so the process that runs the Worker does only what production bills to
// the Worker.
//
// Locally, D1 is SQLite inside the same workerd as the Worker: a heavy query's
// SQLite time lands in the Worker's CPU, and no per-query calibration can take
// it out again (a status-loader query reads 160 rows and builds JSON; a
// calibration query reads one). Miniflare can share storage between instances
// that use the same persistence folder: the oldest instance owns it, and the
// others reach its simulators through workerd's debug port. This host is
// started first, so it owns the storage; the Worker's process then sends each
// D1 call over loopback and does no SQLite work at all. What stays in the
// Worker's process per call is the binding's own JavaScript (which production
// also runs in the Worker) and the local proxy's plumbing, which the
// calibration measures once per round trip (see calibration.mjs).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startMiniflare } from "./worker.mjs";

/** Shared-storage options for every Miniflare of one bench run (the host, the Worker, the calibration Worker). */
export function sharedStorage(state, name) {
	const isolated = join(state, "isolated", name);
	mkdirSync(isolated, { recursive: true });
	return {
		resourcePersistencePath: join(state, "v3"),
		isolatedResourcePersistencePath: isolated,
		// A registry of this run's own: never the user's global one, where other dev servers register.
		unsafeDevRegistryPath: join(state, "registry"),
		unsafeEnableSharedStorage: true,
	};
}

/** Starts the storage owner; it must be up before any other instance of the run. */
export async function startStorageHost({ state }) {
	const { mf, pid } = await startMiniflare({
		host: "127.0.0.1",
		port: 0,
		...sharedStorage(state, "host"),
		workers: [
			{
				name: "tern-bench-storage",
				modules: true,
				script: 'export default { fetch() { return new Response("storage host") } }',
				compatibilityDate: "2026-11-01",
			},
		],
	});
	const { cpuNs } = await import("./proc.mjs");
	return { pid, cpuNs: () => cpuNs(pid), stop: () => mf.dispose() };
}
