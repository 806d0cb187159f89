// CPU cost inside workerd of RSA-2048 and Ed25519 key generation and of the
// password hash, measured on the bench-only Worker in bench/crypto-worker/.
// Its /noop also gives the cost of an empty request: workerd's own share of
// every measured request (HTTP, the Miniflare entry worker).
import { join } from "node:path";
import { build } from "esbuild";
import { send } from "./http.mjs";
import { cpuNs } from "./proc.mjs";
import { median, round, sleep } from "./stats.mjs";
import { startMiniflare } from "./worker.mjs";

export async function measureCryptoCosts({ root, port, runs }) {
	const bundled = await build({
		entryPoints: [join(root, "bench", "crypto-worker", "index.ts")],
		bundle: true,
		format: "esm",
		platform: "neutral",
		target: "es2022",
		write: false,
		logLevel: "error",
	});
	const { mf, pid } = await startMiniflare({
		host: "127.0.0.1",
		port,
		workers: [{ name: "crypto", modules: true, script: bundled.outputFiles[0].text, compatibilityDate: "2026-11-01" }],
	});
	const origin = `http://127.0.0.1:${port}`;
	try {
		const sample = async (path, count) => {
			const values = [];
			for (let i = 0; i < count + 3; i++) {
				const before = cpuNs(pid);
				await send(origin, { path });
				await sleep(2);
				if (i >= 3) values.push((cpuNs(pid) - before) / 1e6);
			}
			return median(values);
		};
		const noop = await sample("/noop", runs.noop);
		const cost = async (path, count) => round(Math.max(0, (await sample(path, count)) - noop), 3);
		return {
			emptyRequestMs: round(noop, 3),
			d1QueryMs: await cost("/d1", runs.noop),
			rsa2048KeygenMs: await cost("/rsa", runs.rsa),
			ed25519KeygenMs: await cost("/ed25519", runs.ed25519),
			pbkdf2PasswordHashMs: await cost("/pbkdf2", runs.pbkdf2),
			note: "median CPU of one operation, minus an empty request's; d1QueryMs is one local D1 round trip (the simulator runs in the same workerd)",
		};
	} finally {
		await mf.dispose();
	}
}
