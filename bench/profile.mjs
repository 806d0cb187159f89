// `node bench/profile.mjs --state <dir> [--path /api/v1/accounts/verify_credentials] [--requests 3000]`
//
// Where a request's CPU goes inside Tern's own code. workerd's inspector
// samples about once a millisecond and attributes time spent in other
// isolates of the same thread to whatever was on the Worker's stack, so it
// cannot say this; V8 in Node can. This runs the production bundle's fetch
// handler in Node against a copy of a benchmark database (`npm run bench --
// --keep-state` leaves one, with the bundle and the seeded tokens), through
// a minimal D1 binding over node:sqlite, samples it every 50 µs, and sums
// the time by the source module each sample's function came from (the
// bundle's `// path` markers). Time in the D1 stand-in and in SQLite is
// reported apart: production spends it elsewhere. Node's V8 is not workerd's,
// so the shares are what to read, not the milliseconds.
import { copyFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const state = resolve(option("state", ""));
const requests = Number(option("requests", "3000"));
const path = option("path", "/api/v1/accounts/verify_credentials");

function findSqlite(dir) {
	for (const name of readdirSync(dir, { recursive: true })) {
		const full = join(dir, name);
		if (name.endsWith(".sqlite") && statSync(full).size > 100_000) return full;
	}
	throw new Error(`no D1 database under ${dir}`);
}

/** Just enough of D1's binding for Drizzle: prepare/bind/all/raw/first/run and batch. */
function d1Over(db) {
	const run = (sql, params, arrays) => {
		const statement = db.prepare(sql);
		statement.setReturnArrays(arrays);
		const reader = /^\s*(select|with|pragma)\b/i.test(sql) || /\breturning\b/i.test(sql);
		if (!reader) {
			const info = statement.run(...params);
			return { rows: [], meta: { changes: Number(info.changes), rows_read: 0, rows_written: Number(info.changes) } };
		}
		return { rows: statement.all(...params), meta: { rows_read: 0, rows_written: 0 } };
	};
	const normalise = (params) => params.map((p) => (typeof p === "boolean" ? Number(p) : p));
	class Statement {
		constructor(sql, params = []) {
			this.sql = sql;
			this.params = params;
		}
		bind(...params) {
			return new Statement(this.sql, normalise(params));
		}
		async all() {
			const { rows, meta } = run(this.sql, this.params, false);
			return { success: true, results: rows.map((r) => ({ ...r })), meta };
		}
		async raw(options) {
			const { rows } = run(this.sql, this.params, true);
			if (!options?.columnNames) return rows;
			return [
				db
					.prepare(this.sql)
					.columns()
					.map((c) => c.name),
				...rows,
			];
		}
		async first(column) {
			const [row] = (await this.all()).results;
			return row ? (column ? row[column] : row) : null;
		}
		async run() {
			return this.all();
		}
	}
	return {
		prepare: (sql) => new Statement(sql),
		batch: async (statements) => {
			db.exec("begin");
			try {
				const results = [];
				for (const s of statements) results.push(await s.all());
				db.exec("commit");
				return results;
			} catch (error) {
				db.exec("rollback");
				throw error;
			}
		},
		exec: async (sql) => {
			db.exec(sql);
			return { count: 1, duration: 0 };
		},
	};
}

/** Line ranges of the bundle by source module, from esbuild's `// path` comments. */
function moduleRanges(bundle) {
	const ranges = [];
	bundle.split("\n").forEach((line, index) => {
		const match = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line);
		if (match) ranges.push({ start: index, module: match[1] });
	});
	return ranges;
}

function moduleOf(ranges, line) {
	let low = 0;
	let high = ranges.length - 1;
	let found = "(bundle prelude)";
	while (low <= high) {
		const middle = (low + high) >> 1;
		if (ranges[middle].start <= line) {
			found = ranges[middle].module;
			low = middle + 1;
		} else high = middle - 1;
	}
	return found;
}

/** What a source module is, for the summary. */
function category(module) {
	if (module.startsWith("node_modules/drizzle-orm")) return "Drizzle (query building, result mapping)";
	if (module.startsWith("node_modules/itty-router")) return "itty-router (routing)";
	if (module.startsWith("node_modules/")) return `library: ${module.split("/")[1]}`;
	if (module.startsWith("src/http/")) return "src/http (routing, auth, params, CORS, errors)";
	if (module.startsWith("src/services/auth")) return "src/services/auth (token lookup)";
	if (module.startsWith("src/db/stats") || module.startsWith("src/services/usage")) return "usage and D1 accounting";
	if (module.startsWith("src/db/")) return "src/db (schema, queries)";
	if (module.startsWith("src/serializers/")) return "src/serializers (JSON shapes)";
	return module.split("/").slice(0, 3).join("/");
}

async function main() {
	if (!state) throw new Error("--state <dir> (a bench state kept with --keep-state) is required");
	const data = JSON.parse(readFileSync(join(state, "data.json"), "utf8"));
	const bundlePath = join(state, "dist", "index.js");
	const bundle = readFileSync(bundlePath, "utf8");
	const ranges = moduleRanges(bundle);
	const copy = join(tmpdir(), `tern-profile-${process.pid}.sqlite`);
	copyFileSync(findSqlite(join(state, "v3", "d1")), copy);
	const sqlite = new DatabaseSync(copy);
	const env = {
		...data.vars,
		// Production's accounting, not the benchmark's exact one.
		BENCH_STATS: "false",
		DB: d1Over(sqlite),
		MEDIA: {},
		IMAGES: {},
		DELIVERY_QUEUE: { send: async () => {}, sendBatch: async () => {} },
		INBOX_QUEUE: { send: async () => {}, sendBatch: async () => {} },
		JOBS_QUEUE: { send: async () => {}, sendBatch: async () => {} },
	};
	const worker = (await import(pathToFileURL(bundlePath).href)).default;
	const exec = { waitUntil() {}, passThroughOnException() {} };
	const request = () =>
		new Request(`${data.origin}${path}`, {
			headers: { Authorization: `Bearer ${data.token}`, Accept: "application/json" },
		});
	const first = await worker.fetch(request(), env, exec);
	if (first.status !== 200) throw new Error(`${path}: ${first.status} ${await first.text()}`);
	for (let i = 0; i < 500; i++) await (await worker.fetch(request(), env, exec)).arrayBuffer();

	const session = new Session();
	session.connect();
	await session.post("Profiler.enable");
	await session.post("Profiler.setSamplingInterval", { interval: 50 });
	await session.post("Profiler.start");
	const started = performance.now();
	for (let i = 0; i < requests; i++) await (await worker.fetch(request(), env, exec)).arrayBuffer();
	const wall = performance.now() - started;
	const { profile } = await session.post("Profiler.stop");
	session.disconnect();

	const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
	const parents = new Map();
	for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
	const bundleUrl = pathToFileURL(bundlePath).href;
	// Time in built-ins (JSON, crypto, regular expressions) goes to the nearest bundle or stand-in frame that called them.
	const owner = (id) => {
		for (let at = id; at !== undefined; at = parents.get(at)) {
			const { url, lineNumber } = nodes.get(at).callFrame;
			if (url === bundleUrl) return category(moduleOf(ranges, lineNumber));
			if (url.endsWith("/bench/profile.mjs"))
				return "D1 stand-in and SQLite (not Tern's: production runs D1 elsewhere)";
		}
		return undefined;
	};
	const self = new Map();
	let total = 0;
	profile.samples.forEach((id, i) => {
		const { functionName, url } = nodes.get(id).callFrame;
		const delta = profile.timeDeltas[i] ?? 0;
		let bucket = owner(id);
		if (!bucket) {
			if (functionName === "(garbage collector)") bucket = "garbage collection";
			else if (functionName.startsWith("(")) bucket = functionName;
			else bucket = `outside the bundle: ${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}`;
		}
		self.set(bucket, (self.get(bucket) ?? 0) + delta);
		total += delta;
	});
	const rows = [...self.entries()].sort((a, b) => b[1] - a[1]);
	if (args.includes("--functions")) {
		// The bundle's own functions by self time, to see what inside a module is expensive.
		const functions = new Map();
		profile.samples.forEach((id, i) => {
			const { url, functionName, lineNumber } = nodes.get(id).callFrame;
			if (url !== bundleUrl) return;
			const key = `${functionName || "(anonymous)"} (${moduleOf(ranges, lineNumber)}:${lineNumber})`;
			functions.set(key, (functions.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
		});
		for (const [key, micros] of [...functions.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
			console.log(`${(micros / requests).toFixed(1).padStart(8)} µs  ${key}`);
		}
		console.log("");
	}
	console.log(`${path}: ${requests} requests, ${(wall / requests).toFixed(3)} ms wall each in Node\n`);
	console.log("| where | share | µs per request |\n| --- | --: | --: |");
	for (const [bucket, micros] of rows.slice(0, 25)) {
		console.log(`| ${bucket} | ${((micros / total) * 100).toFixed(1)}% | ${(micros / requests).toFixed(1)} |`);
	}
}

await main();
