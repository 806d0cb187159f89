// What the Deploy to Cloudflare button reads from the repository: the Wrangler
// configuration (resources by default names, no account's ids), the secrets
// of .dev.vars.example (offered as production secrets, so nothing else may be
// there), and package.json's descriptions of every var, secret and binding.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { ROOT } from "./dev-server";

const config = unstable_readConfig({ config: join(ROOT, "wrangler.toml") });
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
	scripts: Record<string, string>;
	cloudflare?: { bindings?: Record<string, { description?: string }> };
};

describe("the repository as the Deploy to Cloudflare button reads it", () => {
	it("names every resource and holds no account's ids", () => {
		const raw = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
		expect(raw).not.toMatch(/^\s*(account_id|database_id|id|preview_id|zone_id)\s*=/m);
		expect(config.name).toBeTruthy();
		for (const db of config.d1_databases) expect(db.database_name, db.binding).toBeTruthy();
		for (const bucket of config.r2_buckets) expect(bucket.bucket_name, bucket.binding).toBeTruthy();
		for (const producer of config.queues.producers ?? []) expect(producer.queue, producer.binding).toBeTruthy();
		expect(config.vars.INSTANCE_DOMAIN).toBe("");
	});

	it("offers only secrets in .dev.vars.example, with no value filled in", () => {
		const entries = readFileSync(join(ROOT, ".dev.vars.example"), "utf8")
			.split("\n")
			.filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"))
			.map((line) => line.split("="));
		expect(entries.map(([name]) => name)).toEqual(config.secrets?.required ?? []);
		for (const [name, value] of entries) expect(value, name).toBe("");
	});

	it("describes every var, secret and binding in package.json", () => {
		const described = pkg.cloudflare?.bindings ?? {};
		const names = [
			...Object.keys(config.vars),
			...(config.secrets?.required ?? []),
			...config.d1_databases.map((db) => db.binding),
			...config.r2_buckets.map((bucket: { binding: string }) => bucket.binding),
			...(config.queues.producers ?? []).map((producer) => producer.binding),
		];
		for (const name of names) expect(described[name]?.description, name).toMatch(/\w{3,}/);
		expect(Object.keys(described).sort()).toEqual([...names].sort());
	});

	it("deploys with the script that migrates first", () => {
		expect(pkg.scripts.deploy).toBe("node scripts/deploy.mjs");
		const script = readFileSync(join(ROOT, "scripts/deploy.mjs"), "utf8");
		const migrate = script.indexOf('"migrations", "apply", database.binding, "--remote"');
		const deploy = script.indexOf('wrangler(["deploy"');
		expect(migrate).toBeGreaterThan(0);
		expect(deploy).toBeGreaterThan(migrate);
	});
});
