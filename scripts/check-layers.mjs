// The house rules `npm run lint` enforces (see docs/architecture.md):
// - every service lives in a domain folder of at least two files;
// - services reach federation only through src/federation/federator.ts, and
//   never the HTTP, API, web or CLI layers above them;
// - no module imports itself back through any chain of imports.
// Run directly to print the breaches; test/node/house-rules.test.ts runs it too.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SEAM = "src/federation/federator.ts";
const ABOVE_SERVICES = ["src/http/", "src/api/", "src/web/", "src/cli/", "src/index.ts", "src/scheduled.ts"];

function sourceFiles(dir) {
	const out = [];
	for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
		const path = `${dir}/${entry.name}`;
		if (entry.isDirectory()) out.push(...sourceFiles(path));
		else if (path.endsWith(".ts") && !path.endsWith(".test.ts") && !path.endsWith(".d.ts")) out.push(path);
	}
	return out;
}

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*"([^"]+)"|import\s*\(?\s*"([^"]+)"/g;

function resolveImport(from, specifier) {
	if (!specifier.startsWith(".")) return null;
	const base = relative(ROOT, resolve(ROOT, dirname(from), specifier));
	for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
		const full = join(ROOT, candidate);
		if (existsSync(full) && statSync(full).isFile()) return candidate;
	}
	return null;
}

/** Every relative import between files under src/, type-only ones included. */
export function importGraph() {
	const graph = new Map();
	for (const file of sourceFiles("src")) {
		const text = readFileSync(join(ROOT, file), "utf8");
		const targets = new Set();
		for (const match of text.matchAll(SPECIFIER)) {
			const target = resolveImport(file, match[1] ?? match[2]);
			if (target) targets.add(target);
		}
		graph.set(file, [...targets]);
	}
	return graph;
}

/** Groups of files that import each other through some chain (Tarjan's strongly connected components). */
export function importCycles(graph) {
	let counter = 0;
	const index = new Map();
	const low = new Map();
	const stack = [];
	const onStack = new Set();
	const cycles = [];
	const visit = (file) => {
		index.set(file, counter);
		low.set(file, counter++);
		stack.push(file);
		onStack.add(file);
		for (const next of graph.get(file) ?? []) {
			if (!index.has(next)) {
				visit(next);
				low.set(file, Math.min(low.get(file), low.get(next)));
			} else if (onStack.has(next)) {
				low.set(file, Math.min(low.get(file), index.get(next)));
			}
		}
		if (low.get(file) === index.get(file)) {
			const group = [];
			let member;
			do {
				member = stack.pop();
				onStack.delete(member);
				group.push(member);
			} while (member !== file);
			if (group.length > 1) cycles.push(group.sort());
		}
	};
	for (const file of graph.keys()) if (!index.has(file)) visit(file);
	return cycles;
}

export function layerBreaches(graph) {
	const breaches = [];
	for (const [file, targets] of graph) {
		if (!file.startsWith("src/services/")) continue;
		for (const target of targets) {
			if (target.startsWith("src/federation/") && target !== SEAM) {
				breaches.push(`${file} imports ${target}: services reach federation only through ${SEAM}`);
			}
			if (ABOVE_SERVICES.some((layer) => target.startsWith(layer))) {
				breaches.push(`${file} imports ${target}, a layer above services`);
			}
		}
	}
	return breaches;
}

export function serviceFolderBreaches() {
	const breaches = [];
	for (const entry of readdirSync(join(ROOT, "src/services"), { withFileTypes: true })) {
		if (!entry.isDirectory()) {
			if (!entry.name.endsWith(".ts")) continue;
			breaches.push(`src/services/${entry.name} is outside a domain folder`);
			continue;
		}
		const files = readdirSync(join(ROOT, "src/services", entry.name)).filter(
			(name) => name.endsWith(".ts") && !name.endsWith(".test.ts"),
		);
		if (files.length < 2) breaches.push(`src/services/${entry.name}/ holds ${files.length} file: a folder needs two`);
	}
	return breaches;
}

export function houseRuleBreaches() {
	const graph = importGraph();
	return [
		...serviceFolderBreaches(),
		...layerBreaches(graph),
		...importCycles(graph).map((group) => `import cycle: ${group.join(" -> ")}`),
	];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const breaches = houseRuleBreaches();
	for (const breach of breaches) console.error(breach);
	if (breaches.length > 0) process.exit(1);
	console.log("House rules hold: service folders, one-way layers, no import cycles.");
}
