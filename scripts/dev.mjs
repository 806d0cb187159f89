// `npm run dev`: prepares local state (secrets, migrations) and starts the
// Worker with local D1, Queues and R2. Options (after `npm run dev --`):
//   --port <n>      port to serve on (default 8787)
//   --state <dir>   local state folder (default .wrangler/state)
//   --domain <host> instance domain (default localhost:<port>)
//   --https         serve https (for web clients that insist on it)
//   --test-scheduled  run the cron's handler on GET /__scheduled (tests of the sweeps)
// With a --port other than 8787 the devtools inspector takes a free port
// instead of 9229, so instances side by side never fight over it.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
	console.error(`Tern needs Node.js 22 or newer (this is ${process.version}).`);
	process.exit(1);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
function option(name, fallback) {
	const i = args.indexOf(`--${name}`);
	return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}
const port = option("port", "8787");
const state = resolve(root, option("state", ".wrangler/state"));
const domain = option("domain", `localhost:${port}`);
const https = args.includes("--https");
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

const devVars = join(root, ".dev.vars");
if (!existsSync(devVars)) {
	const example = readFileSync(join(root, ".dev.vars.example"), "utf8");
	const secret = randomBytes(32).toString("base64url");
	writeFileSync(devVars, example.replace(/^KEY_ENCRYPTION_SECRET=.*$/m, `KEY_ENCRYPTION_SECRET=${secret}`));
	console.log("Created .dev.vars with a fresh KEY_ENCRYPTION_SECRET.");
}

// The admin CLI reads this to mint account URIs with the same domain the server uses.
mkdirSync(state, { recursive: true });
writeFileSync(
	join(state, "tern-instance.json"),
	`${JSON.stringify({ INSTANCE_DOMAIN: domain, INSTANCE_SCHEME: https ? "https" : "http" }, null, 2)}\n`,
);

const migrate = spawnSync(
	process.execPath,
	[wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state],
	{ cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CI: "true" } },
);
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const stateFlag = state === resolve(root, ".wrangler/state") ? "" : ` --state ${option("state")}`;
console.log(`
Tern is starting on ${https ? "https" : "http"}://localhost:${port} (instance domain ${domain}).
Create the first user and a token in another terminal:
  npx tern user create alice --email alice@example.com --admin${stateFlag}
  npx tern token create alice${stateFlag}
`);

const child = spawn(
	process.execPath,
	[
		wrangler,
		"dev",
		"--port",
		port,
		"--persist-to",
		state,
		"--var",
		`INSTANCE_DOMAIN:${domain}`,
		"--var",
		`INSTANCE_SCHEME:${https ? "https" : "http"}`,
		...(https ? ["--local-protocol", "https"] : []),
		...(args.includes("--test-scheduled") ? ["--test-scheduled"] : []),
		...(port === "8787" ? [] : ["--inspector-port", String(await freePort())]),
	],
	{ cwd: root, stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));

function freePort() {
	return new Promise((done, fail) => {
		const server = createServer();
		server.once("error", fail);
		server.listen(0, "127.0.0.1", () => {
			const { port: free } = server.address();
			server.close(() => done(free));
		});
	});
}
