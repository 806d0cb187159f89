// `npm run dev`: prepares local state and starts the Worker with local D1,
// Queues and R2. Options (after `npm run dev --`):
//   --port <n>      port to serve on (default 8787)
//   --state <dir>   local state folder (default .wrangler/state)
//   --domain <host> instance domain (default localhost:<port>)
//   --no-domain     leave INSTANCE_DOMAIN empty, as a fresh deployment does:
//                   setup (at /) then takes the address it is finished at
//   --https         serve https (for web clients that insist on it)
//   --no-cron       do not run the cron locally (GET /__scheduled still runs it
//                   by hand, as the tests of the sweeps do)
// Each state folder has its own .dev.vars (development values and a secret
// of its own), so instances side by side share nothing. The cron runs on
// wrangler.toml's schedule, so sweeps and backfills happen here too. With a
// --port other than 8787 the devtools inspector takes a free port instead of
// 9229, so instances side by side never fight over it.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cronsOf, runOnSchedule } from "./lib/cron.mjs";

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
const defaultState = resolve(root, ".wrangler/state");
const state = resolve(root, option("state", ".wrangler/state"));
const domain = args.includes("--no-domain") ? "" : option("domain", `localhost:${port}`);
const https = args.includes("--https");
const scheme = https ? "https" : "http";
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
mkdirSync(state, { recursive: true });
/** Paths as the person typed them: relative inside the checkout, absolute outside it. */
const shown = (path) => (relative(root, path).startsWith("..") ? path : relative(root, path));

// Development values: what a deployment must never have (http, private
// addresses reachable, open sign-ups) lives here, not in .dev.vars.example.
const devVars = join(state, ".dev.vars");
if (!existsSync(devVars)) {
	// The default state folder's keys were sealed with the secret of the old shared .dev.vars.
	const legacy = join(root, ".dev.vars");
	const kept =
		state === defaultState && existsSync(legacy)
			? /^KEY_ENCRYPTION_SECRET=(.+)$/m.exec(readFileSync(legacy, "utf8"))?.[1]?.trim()
			: undefined;
	const secret = kept || randomBytes(32).toString("base64url");
	writeFileSync(
		devVars,
		`# Local development values for this state folder only (made by \`npm run dev\`; edit freely).
# They override wrangler.toml's [vars]; the instance domain and scheme come from the dev script's options.
REGISTRATION_MODE=open
ALLOW_PRIVATE_ADDRESSES=true
AUTHORIZED_FETCH=false
# Seals this state folder's account keys; setup asks for it. Never change it once accounts exist.
KEY_ENCRYPTION_SECRET=${secret}
`,
		{ mode: 0o600 },
	);
	console.log(
		`Created ${shown(devVars)}${kept ? " (keeping the secret of .dev.vars)" : " with a fresh KEY_ENCRYPTION_SECRET"}.`,
	);
}

// The admin CLI reads this to mint account URIs with the same domain the server uses.
writeFileSync(
	join(state, "tern-instance.json"),
	`${JSON.stringify({ INSTANCE_DOMAIN: domain, INSTANCE_SCHEME: scheme }, null, 2)}\n`,
);

// wrangler prints every migration as a table; one line says the same.
const migrate = spawnSync(
	process.execPath,
	[wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", state],
	{ cwd: root, encoding: "utf8", env: { ...process.env, CI: "true" } },
);
const migrateOutput = `${migrate.stdout ?? ""}${migrate.stderr ?? ""}`;
if (migrate.status !== 0) {
	process.stderr.write(migrateOutput);
	process.exit(migrate.status ?? 1);
}
const applied = new Set([...migrateOutput.matchAll(/(\d{4}_\S+\.sql)\s*│\s*✅/g)].map((m) => m[1])).size;
console.log(applied > 0 ? `Applied ${applied} migrations to the local database.` : "The local database is up to date.");

const stateFlag = state === defaultState ? "" : ` --state ${option("state")}`;
const origin = `${scheme}://localhost:${port}`;
console.log(
	domain
		? `
Tern is starting on ${origin} (instance domain ${domain}).
Open it to set the server up in the browser (the secret it asks for is KEY_ENCRYPTION_SECRET in
${shown(devVars)}), or make users from another terminal:
  npx tern user create alice --email alice@example.com --admin${stateFlag}
  npx tern token create alice${stateFlag}
`
		: `
Tern is starting on ${origin} with no instance domain: open it to set the server up, and it keeps
the address you finish setup at. The secret setup asks for is KEY_ENCRYPTION_SECRET in ${shown(devVars)}.
`,
);

const child = spawn(
	process.execPath,
	[
		wrangler,
		"dev",
		"--port",
		port,
		"--persist-to",
		state,
		"--env-file",
		devVars,
		"--var",
		`INSTANCE_DOMAIN:${domain}`,
		"--var",
		`INSTANCE_SCHEME:${scheme}`,
		"--test-scheduled",
		...(https ? ["--local-protocol", "https"] : []),
		...(port === "8787" ? [] : ["--inspector-port", String(await freePort())]),
	],
	{ cwd: root, stdio: "inherit" },
);

// Cloudflare runs the cron in production; locally it is fired through wrangler's /__scheduled.
const stopCron = args.includes("--no-cron")
	? () => {}
	: runOnSchedule(cronsOf(readFileSync(join(root, "wrangler.toml"), "utf8")), (cron) => {
			// The local https certificate is self-signed; this request never leaves loopback.
			const send = https ? httpsRequest : httpRequest;
			const request = send(
				`${origin}/__scheduled?cron=${encodeURIComponent(cron)}`,
				{ rejectUnauthorized: false },
				(response) => response.resume(),
			);
			request.on("error", (error) => console.error(`The local cron could not reach the server: ${error.message}`));
			request.end();
		});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => {
	stopCron();
	process.exit(code ?? 0);
});

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
