#!/usr/bin/env node
// Tern's admin CLI. It runs the same TypeScript services as the Worker, in
// Node, against the Worker's own bindings: local dev state by default, the
// deployed instance with --remote.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
	console.error(`Error: Tern needs Node.js 22 or newer (this is ${process.version}).`);
	process.exit(1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);

function flagValue(name) {
	const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
	if (i < 0) return undefined;
	const arg = argv[i];
	return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[i + 1];
}

const remote = argv.includes("--remote");
const configPath = resolve(flagValue("config") ?? join(root, "wrangler.toml"));
const stateDir = resolve(flagValue("state") ?? join(root, ".wrangler", "state"));

async function loadCli() {
	const { build } = await import("esbuild");
	// One file per process: two CLIs started at once (tests do) must not read each other's half-written bundle.
	const outfile = join(root, "node_modules", ".cache", "tern", `cli-${process.pid}.mjs`);
	mkdirSync(dirname(outfile), { recursive: true });
	await build({
		entryPoints: [join(root, "src", "cli", "main.ts")],
		bundle: true,
		format: "esm",
		platform: "neutral",
		target: "es2022",
		outfile,
		logLevel: "error",
	});
	try {
		return await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
	} finally {
		rmSync(outfile, { force: true });
	}
}

/**
 * A copy of the config for the CLI's bindings: without the streaming Durable
 * Object (its class lives in the Worker, which the CLI does not run, and the
 * CLI never needs it) and, for --remote, with D1, the queues and R2
 * pointing at the deployed resources.
 */
function cliConfig() {
	let text = readFileSync(configPath, "utf8").replace(
		/^\[\[(?:durable_objects\.bindings|migrations)\]\]\n(?:(?!\[)[^\n]+\n)*/gm,
		"",
	);
	if (remote)
		text = text.replace(
			/^(binding\s*=\s*"(DB|JOBS_QUEUE|DELIVERY_QUEUE|INBOX_QUEUE|MEDIA)"\s*)$/gm,
			"$1\nremote = true",
		);
	const copy = join(dirname(configPath), `.wrangler-cli-${process.pid}.toml`);
	writeFileSync(copy, text);
	return copy;
}

const { runCli, USAGE } = await loadCli();
if (argv.length === 0 || argv.includes("--help")) {
	console.log(USAGE);
	process.exit(argv.length === 0 ? 1 : 0);
}

if (!existsSync(configPath)) {
	console.error(`Error: no Wrangler configuration at ${configPath}`);
	process.exit(2);
}

// Keep stdout for the command's own output (`TOKEN=$(npx tern token create …)`).
process.env.WRANGLER_LOG ??= "error";
const { getPlatformProxy } = await import("wrangler");
const tempConfig = cliConfig();
let proxy;
try {
	// `npm run dev` keeps each state folder's secret in its own .dev.vars.
	const stateVars = join(stateDir, ".dev.vars");
	proxy = await getPlatformProxy({
		configPath: tempConfig,
		persist: remote ? false : { path: join(stateDir, "v3") },
		remoteBindings: remote,
		...(!remote && existsSync(stateVars) ? { envFiles: [stateVars] } : {}),
	});
} catch (error) {
	rmSync(tempConfig, { force: true });
	console.error(`Error: could not open the ${remote ? "deployed" : "local"} instance's bindings: ${error.message}`);
	process.exit(1);
}
rmSync(tempConfig, { force: true });

const env = { ...proxy.env };
// `npm run dev` records the domain it serves for this state folder; URIs must match it.
const instanceFile = join(stateDir, "tern-instance.json");
if (!remote && existsSync(instanceFile)) Object.assign(env, JSON.parse(readFileSync(instanceFile, "utf8")));
// An explicit domain wins (scripts that start the server themselves pass it).
if (process.env.TERN_INSTANCE_DOMAIN) env.INSTANCE_DOMAIN = process.env.TERN_INSTANCE_DOMAIN;
if (remote) {
	// Deployed secrets cannot be read back; without this one, the Worker's job queue makes the keys.
	env.KEY_ENCRYPTION_SECRET = process.env.TERN_KEY_ENCRYPTION_SECRET;
} else if (!env.KEY_ENCRYPTION_SECRET && argv[0] === "user" && argv[1] === "create") {
	// Locally the keys are made here: a queued key job would never reach the dev server.
	console.error(
		"Error: KEY_ENCRYPTION_SECRET is not set locally. Run `npm run dev` once (it creates .dev.vars in the state folder).",
	);
	await proxy.dispose();
	process.exit(2);
}

const code = await runCli(argv, env, {
	out: (line) => console.log(line),
	err: (line) => console.error(line),
	readFile: async (path) => new Uint8Array(readFileSync(resolve(path))),
	// Local queues here are this process's own, not the dev server's: messages wait in D1 for it.
	holdQueueMessages: !remote,
});
await proxy.dispose();
process.exit(code);
