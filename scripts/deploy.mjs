// `npm run deploy`: creates the Queues the Worker uses (if missing), deploys
// the Worker (wrangler provisions D1 and R2 on first deploy), then applies the
// D1 migrations to the deployed database.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

function run(args, { allowFailure = false } = {}) {
	const result = spawnSync(process.execPath, [wrangler, ...args], { cwd: root, encoding: "utf8" });
	process.stdout.write(result.stdout ?? "");
	if (result.status !== 0 && !allowFailure) {
		process.stderr.write(result.stderr ?? "");
		process.exit(result.status ?? 1);
	}
	return result;
}

const config = readFileSync(join(root, "wrangler.toml"), "utf8");
const queues = new Set([...config.matchAll(/^\s*(?:queue|dead_letter_queue)\s*=\s*"([^"]+)"/gm)].map((m) => m[1]));

for (const queue of queues) {
	const result = run(["queues", "create", queue], { allowFailure: true });
	if (result.status === 0) console.log(`Created queue ${queue}`);
	else if (/already (exists|taken)/i.test(`${result.stdout}${result.stderr}`)) console.log(`Queue ${queue} exists`);
	else {
		process.stderr.write(result.stderr ?? "");
		process.exit(result.status ?? 1);
	}
}

if (!/KEY_ENCRYPTION_SECRET/.test(run(["secret", "list"], { allowFailure: true }).stdout ?? "")) {
	console.log("Note: set the key encryption secret once with `npx wrangler secret put KEY_ENCRYPTION_SECRET`.");
}

run(["deploy"]);
run(["d1", "migrations", "apply", "DB", "--remote"]);
console.log("Deployed. Create the first user with: npx tern user create <name> --email <email> --admin --remote");
