// The deploy rehearsal: `npm run deploy` from this checkout, twice, against a
// local stand-in of the Cloudflare API (stand-in.ts). The first run is a new
// account's first deploy, the second an upgrade. No real account is reached,
// so this shows what wrangler sends and in which order, not what Cloudflare
// does with it (README, "Deploy", lists what only a real account would show).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { CloudflareStandIn, type ScriptUpload } from "./stand-in/index";

const ROOT = resolve(import.meta.dirname, "../..");
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TOKEN = randomBytes(20).toString("hex");
const SECRET = randomBytes(32).toString("base64url");
const config = unstable_readConfig({ config: join(ROOT, "wrangler.toml") });
const migrationFiles = readdirSync(join(ROOT, "migrations"))
	.filter((name) => name.endsWith(".sql"))
	.sort();

interface Run {
	code: number;
	output: string;
	/** Calls the stand-in received during this run (their `seq` numbers). */
	from: number;
	to: number;
}

describe("npm run deploy against a stand-in of the Cloudflare API", () => {
	const standIn = new CloudflareStandIn(ACCOUNT, TOKEN);
	const wranglerToml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
	let base = "";
	let first: Run;
	let second: Run;

	function deploy(extraEnv: Record<string, string>): Promise<Run> {
		const from = standIn.calls.length;
		// This machine's environment, less what would change the script's path (a build's marker, a secret).
		const env: Record<string, string> = {};
		for (const [name, value] of Object.entries(process.env)) {
			if (value !== undefined && name !== "WORKERS_CI" && name !== "KEY_ENCRYPTION_SECRET") env[name] = value;
		}
		Object.assign(env, {
			CLOUDFLARE_API_BASE_URL: base,
			CLOUDFLARE_API_TOKEN: TOKEN,
			CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
			CI: "true",
			WRANGLER_SEND_METRICS: "false",
			...extraEnv,
		});
		return new Promise((done) => {
			const child = spawn("npm", ["run", "deploy"], { cwd: ROOT, env: env as NodeJS.ProcessEnv });
			let output = "";
			child.stdout.on("data", (chunk) => {
				output += chunk;
			});
			child.stderr.on("data", (chunk) => {
				output += chunk;
			});
			child.on("exit", (code) => done({ code: code ?? 1, output, from, to: standIn.calls.length }));
		});
	}

	const during = (run: Run) => standIn.calls.filter((call) => call.seq >= run.from && call.seq < run.to);
	const uploadOf = (run: Run): ScriptUpload => {
		const upload = standIn.uploads.find((u) => u.seq >= run.from && u.seq < run.to);
		if (!upload) throw new Error(`no script upload in this run:\n${run.output}`);
		return upload;
	};

	beforeAll(async () => {
		base = await standIn.listen();
		first = await deploy({ KEY_ENCRYPTION_SECRET: SECRET });
		second = await deploy({});
	}, 600_000);

	afterAll(async () => {
		await standIn.close();
	});

	it("completes a first deploy and an upgrade, asking the API nothing the stand-in does not know", () => {
		expect(first.code, first.output).toBe(0);
		expect(second.code, second.output).toBe(0);
		expect(standIn.unanswered).toEqual([]);
	});

	it("creates the D1 database, the R2 bucket and every queue once, and finds them on the upgrade", () => {
		const creations = (run: Run) =>
			during(run).filter(
				(call) => call.method === "POST" && /^\/accounts\/[^/]+\/(d1\/database|r2\/buckets|queues)$/.test(call.path),
			);
		expect(
			creations(first)
				.map((call) => call.path.split("/").slice(3).join("/"))
				.sort(),
		).toEqual(["d1/database", "r2/buckets", ...Array(6).fill("queues")].sort());
		expect(creations(second)).toEqual([]);

		const d1 = config.d1_databases[0];
		expect([...standIn.databases.values()].map((db) => db.name)).toEqual([d1?.database_name]);
		expect([...standIn.buckets.keys()]).toEqual(
			config.r2_buckets.map((bucket: { bucket_name?: string }) => bucket.bucket_name),
		);
		const named = new Set<string>();
		for (const producer of config.queues.producers ?? []) named.add(producer.queue);
		for (const consumer of config.queues.consumers ?? []) {
			named.add(consumer.queue);
			if (consumer.dead_letter_queue) named.add(consumer.dead_letter_queue);
		}
		expect([...standIn.queues.values()].map((q) => q.queue_name).sort()).toEqual([...named].sort());
	});

	it("applies every migration to the database before the Worker script is uploaded", () => {
		const db = [...standIn.databases.values()][0];
		const applied = db?.sqlite.prepare("select name from d1_migrations order by id").all() as Array<{ name: string }>;
		expect(applied.map((row) => row.name)).toEqual(migrationFiles);
		// The schema really is there: a table from the first and one from the latest migration.
		const tables = db?.sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{
			name: string;
		}>;
		expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["accounts", "statuses", "instance_settings"]));

		const applying = during(first).filter(
			(call) => /\/query$/.test(call.path) && /insert into/i.test(String((call.body as { sql?: string })?.sql)),
		);
		expect(applying.length).toBe(migrationFiles.length);
		const upload = uploadOf(first);
		for (const call of applying) expect(call.seq).toBeLessThan(upload.seq);

		// The upgrade finds nothing to apply and changes nothing before its upload.
		const reapplied = during(second).filter(
			(call) => /\/query$/.test(call.path) && /insert into/i.test(String((call.body as { sql?: string })?.sql)),
		);
		expect(reapplied).toEqual([]);
	});

	it("uploads every binding of wrangler.toml under its own name", () => {
		for (const run of [first, second]) {
			const bindings = new Map((uploadOf(run).metadata.bindings ?? []).map((b) => [b.name, b]));
			for (const [name, value] of Object.entries(config.vars)) {
				expect(bindings.get(name), name).toEqual({ name, type: "plain_text", text: value });
			}
			// An upgrade may keep a resource binding as it was (`inherit`); the resolved ones are checked below.
			const resource = (name: string, expected: Record<string, unknown>) => {
				const binding = bindings.get(name);
				if (run === second && binding?.type === "inherit") return;
				expect(binding, name).toMatchObject(expected);
			};
			const db = [...standIn.databases.values()][0];
			for (const d1 of config.d1_databases) resource(d1.binding, { type: "d1", id: db?.uuid });
			for (const bucket of config.r2_buckets) {
				resource(bucket.binding, { type: "r2_bucket", bucket_name: bucket.bucket_name });
			}
			for (const producer of config.queues.producers ?? []) {
				resource(producer.binding, { type: "queue", queue_name: producer.queue });
			}
			// The secret goes up with the first deploy only; afterwards the Worker keeps its own.
			for (const secret of config.secrets?.required ?? []) {
				expect(bindings.get(secret)?.type).toBe(run === first ? "secret_text" : "inherit");
			}
			const expected =
				Object.keys(config.vars).length +
				config.d1_databases.length +
				config.r2_buckets.length +
				(config.queues.producers?.length ?? 0) +
				(config.secrets?.required?.length ?? 0);
			expect(bindings.size).toBe(expected);
			expect(uploadOf(run).metadata).toMatchObject({
				main_module: "index.js",
				compatibility_date: config.compatibility_date,
				observability: { enabled: true },
			});
		}
		// What the upgraded Worker runs with, inherited bindings resolved: the same resources.
		const live = standIn.scripts.get(config.name as string);
		const resolved = new Map(live?.bindings.map((b) => [b.name, b]));
		const db = [...standIn.databases.values()][0];
		for (const d1 of config.d1_databases) expect(resolved.get(d1.binding)).toMatchObject({ type: "d1", id: db?.uuid });
		for (const bucket of config.r2_buckets as Array<{ binding: string; bucket_name: string }>) {
			expect(resolved.get(bucket.binding)).toMatchObject({ type: "r2_bucket", bucket_name: bucket.bucket_name });
		}
		for (const producer of config.queues.producers ?? []) {
			expect(resolved.get(producer.binding)).toMatchObject({ type: "queue", queue_name: producer.queue });
		}
		expect(live?.deployedVersion).toBe(uploadOf(second).versionId);
		expect(uploadOf(first).kind).toBe("script");
		expect(uploadOf(second).kind).toBe("version");
		expect(live?.secrets.get("KEY_ENCRYPTION_SECRET")).toBe(SECRET);
		expect(live?.settings.observability).toEqual({ enabled: true });
	});

	it("registers the Worker as every queue's consumer, with the settings of wrangler.toml, once", () => {
		for (const consumer of config.queues.consumers ?? []) {
			const queue = [...standIn.queues.values()].find((q) => q.queue_name === consumer.queue);
			expect(queue?.consumers, consumer.queue).toHaveLength(1);
			expect(queue?.consumers[0]).toMatchObject({
				type: "worker",
				script: config.name,
				settings: {
					batch_size: consumer.max_batch_size,
					...(consumer.max_retries === undefined ? {} : { max_retries: consumer.max_retries }),
					...(consumer.max_batch_timeout === undefined ? {} : { max_wait_time_ms: consumer.max_batch_timeout * 1000 }),
				},
				...(consumer.dead_letter_queue ? { dead_letter_queue: consumer.dead_letter_queue } : {}),
			});
		}
	});

	it("sets the cron schedule and serves on workers.dev", () => {
		const script = standIn.scripts.get(config.name as string);
		expect(script?.schedules).toEqual(config.triggers.crons);
		expect(script?.subdomain).toBe(true);
		expect(first.output).toContain(`https://${config.name}.${standIn.workersSubdomain}.workers.dev`);
	});

	it("never prints the secret or the token, and writes no account's ids into wrangler.toml", () => {
		for (const run of [first, second]) {
			expect(run.output).not.toContain(SECRET);
			expect(run.output).not.toContain(TOKEN);
		}
		expect(JSON.stringify(standIn.calls)).not.toContain(SECRET);
		expect(readFileSync(join(ROOT, "wrangler.toml"), "utf8")).toBe(wranglerToml);
		expect(second.output).toMatch(/KEY_ENCRYPTION_SECRET is set on the Worker/);
	});
});
