// `npm run deploy`: what the Deploy to Cloudflare button runs through Workers
// Builds, and the manual path after `npx wrangler login`. In this order:
//   1. the D1 database named in wrangler.toml exists (made on a first deploy);
//   2. the Queues that only consumers name (dead-letter queues) exist:
//      `wrangler deploy` provisions producer queues, the D1 database and the
//      R2 bucket itself, but refuses to start when a consumer's queue is missing;
//   3. pending D1 migrations are applied by binding, so the code about to go
//      live never meets an older schema (docs/migrations.md: every migration
//      keeps the running release working);
//   4. `wrangler deploy` uploads the Worker. On a first deploy it also sets
//      KEY_ENCRYPTION_SECRET: from the environment if given, otherwise a new
//      random one saved to .key-encryption-secret. A secret already set is
//      never replaced (account keys are sealed with it).
// Secret values are never printed.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
	console.error(`Tern needs Node.js 22 or newer (this is ${process.version}).`);
	process.exit(1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const configPath = join(root, "wrangler.toml");
const SECRET = "KEY_ENCRYPTION_SECRET";
const savedSecretPath = join(root, ".key-encryption-secret");

/** Runs wrangler; `capture` keeps its output for parsing (and for the error message) instead of showing it. */
function wrangler(args, { capture = false } = {}) {
	const result = spawnSync(process.execPath, [wranglerBin, ...args], {
		cwd: root,
		encoding: "utf8",
		stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
		env: process.env,
	});
	return {
		status: result.status ?? 1,
		output: `${result.stdout ?? ""}${result.stderr ?? ""}`,
		stdout: result.stdout ?? "",
	};
}

function fail(message, output = "") {
	if (output) process.stderr.write(output.endsWith("\n") ? output : `${output}\n`);
	console.error(`\nDeploy stopped: ${message}`);
	process.exit(1);
}

function step(text) {
	console.log(`\n== ${text}`);
}

// Wrangler's own reading of wrangler.toml, so names and defaults are exactly what it will deploy.
const { unstable_readConfig } = await import("wrangler");
const config = unstable_readConfig({ config: configPath });

step("D1 database");
for (const database of config.d1_databases) {
	if (database.database_id) {
		console.log(`${database.binding}: database ${database.database_id} (set in wrangler.toml)`);
		continue;
	}
	const name = database.database_name ?? `${config.name}-${database.binding.toLowerCase().replaceAll("_", "-")}`;
	const listed = wrangler(["d1", "list", "--json"], { capture: true });
	if (listed.status !== 0) fail("could not list the account's D1 databases", listed.output);
	const existing = JSON.parse(listed.stdout.slice(listed.stdout.indexOf("["))).find((db) => db.name === name);
	if (existing) {
		console.log(`${database.binding}: found database ${name}`);
		continue;
	}
	const created = wrangler(["d1", "create", name], { capture: true });
	if (created.status !== 0) fail(`could not create the D1 database ${name}`, created.output);
	console.log(`${database.binding}: created database ${name}`);
}

step("Queues");
const producers = new Set((config.queues.producers ?? []).map((producer) => producer.queue));
const consumerOnly = new Set();
for (const consumer of config.queues.consumers ?? []) {
	for (const name of [consumer.queue, consumer.dead_letter_queue])
		if (name && !producers.has(name)) consumerOnly.add(name);
}
for (const name of consumerOnly) {
	const info = wrangler(["queues", "info", name], { capture: true });
	if (info.status === 0) {
		console.log(`found queue ${name}`);
		continue;
	}
	if (!/does not exist/i.test(info.output)) fail(`could not look up the queue ${name}`, info.output);
	const created = wrangler(["queues", "create", name], { capture: true });
	if (created.status !== 0) fail(`could not create the queue ${name}`, created.output);
	console.log(`created queue ${name}`);
}
if (producers.size > 0) console.log(`${[...producers].join(", ")}: made by wrangler deploy when missing`);

step(SECRET);
const secrets = wrangler(["secret", "list", "--format", "json"], { capture: true });
let secretsDir;
let secretsArgs = [];
if (secrets.status === 0) {
	const names = JSON.parse(secrets.stdout.slice(secrets.stdout.indexOf("["))).map((secret) => secret.name);
	if (names.includes(SECRET)) {
		console.log(`${SECRET} is set on the Worker (deploy never changes it)`);
	} else if (process.env[SECRET]) {
		secretsArgs = secretsFile(process.env[SECRET]);
		console.log(`${SECRET} is missing on the Worker: setting it from the environment`);
	} else {
		fail(
			`${SECRET} is not set on the Worker. Set it once with \`npx wrangler secret put ${SECRET}\` (32 or more random characters, e.g. from \`openssl rand -base64 32\`), or run this again with ${SECRET} in the environment.`,
		);
	}
} else if (/not found|does not exist|10007/i.test(secrets.output)) {
	// A first deploy: secrets can only come with the upload.
	if (process.env[SECRET]) {
		secretsArgs = secretsFile(process.env[SECRET]);
		console.log(`First deploy: ${SECRET} comes from the environment`);
	} else if (process.env.WORKERS_CI) {
		fail(
			`${SECRET} is not set. Add it to the Worker (Settings, Variables and Secrets) or to the build's variables, then retry the build.`,
		);
	} else {
		const secret = randomBytes(32).toString("base64url");
		writeFileSync(savedSecretPath, `${secret}\n`, { mode: 0o600 });
		secretsArgs = secretsFile(secret);
		console.log(
			`First deploy: made a new ${SECRET} and saved it to ${savedSecretPath} (readable by you only).\nYou need it once, at /setup. Keep a copy somewhere safe; it can never change.`,
		);
	}
} else {
	fail("could not list the Worker's secrets", secrets.output);
}

function secretsFile(value) {
	if (value.trim().length < 32) fail(`${SECRET} must have at least 32 characters`);
	secretsDir = mkdtempSync(join(tmpdir(), "tern-deploy-"));
	const path = join(secretsDir, "secrets.json");
	writeFileSync(path, JSON.stringify({ [SECRET]: value }), { mode: 0o600 });
	return ["--secrets-file", path];
}

try {
	for (const database of config.d1_databases) {
		step(`Migrations (${database.binding})`);
		const migrated = wrangler(["d1", "migrations", "apply", database.binding, "--remote"]);
		if (migrated.status !== 0) fail("the migrations did not apply; the running Worker was left as it was");
	}

	step("Worker");
	const deployed = wrangler(["deploy", ...secretsArgs]);
	if (deployed.status !== 0) fail("wrangler deploy failed");
} finally {
	if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
}

console.log(
	`\nDeployed. Open the address above: a new server shows its setup page, which asks for ${SECRET}${existsSync(savedSecretPath) ? ` (in ${savedSecretPath})` : ""}.`,
);
