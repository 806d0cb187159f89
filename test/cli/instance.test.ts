import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type CliEnv, runCli } from "../../src/cli/main";
import { instanceSettings } from "../../src/db/schema";
import { forgetCachedSettings } from "../../src/services/instance/settings";
import { api, createTestUser, db } from "../helpers/users";

async function cli(args: string[], overrides: Partial<CliEnv> = {}) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await runCli(args, { ...env, ...overrides }, { out: (l) => out.push(l), err: (l) => err.push(l) });
	return { code, out, err };
}

beforeEach(async () => {
	await db().delete(instanceSettings);
	forgetCachedSettings(env);
});

describe("tern settings", () => {
	it("changes what setup chose, which clients then see, and an empty value returns to the var", async () => {
		const set = await cli(["settings", "set", "title", "Birds", "of", "a", "feather"]);
		expect(set).toMatchObject({ code: 0, err: [] });
		await cli(["settings", "set", "registration-mode", "approval"]);
		forgetCachedSettings(env);
		const instance = (await (await api("/api/v2/instance")).json()) as {
			title: string;
			registrations: { approval_required: boolean };
		};
		expect(instance).toMatchObject({ title: "Birds of a feather", registrations: { approval_required: true } });

		const shown = (await cli(["settings", "show"])).out;
		expect(shown).toContain('title\t"Birds of a feather"\t(stored)');
		expect(shown).toContain(
			`description\t${JSON.stringify(env.INSTANCE_DESCRIPTION ?? "")}\t(${env.INSTANCE_DESCRIPTION ? "the Worker's INSTANCE_DESCRIPTION" : "not set"})`,
		);

		const removed = await cli(["settings", "set", "title", ""]);
		expect(removed.out[0]).toContain("the Worker's var applies again");
		expect((await cli(["settings", "show"])).out).toContain(
			`title\t"${env.INSTANCE_TITLE}"\t(the Worker's INSTANCE_TITLE)`,
		);
	});

	it("refuses unknown names and bad values, and changes nothing", async () => {
		expect((await cli(["settings", "set", "domain", "x.test"])).err[0]).toMatch(/needs one of: title/);
		expect((await cli(["settings", "set", "title"])).err[0]).toMatch(/needs a value/);
		const bad = await cli(["settings", "set", "registration-mode", "sometimes"]);
		expect(bad.code).toBe(2);
		expect(bad.err[0]).toMatch(/open, approval or closed/);
		expect(await db().select().from(instanceSettings)).toEqual([]);
	});
});

describe("tern domain", () => {
	it("shows where the domain comes from, and moves an instance that has not federated", async () => {
		expect((await cli(["domain", "show"])).out[0]).toBe("Domain: tern.test (from INSTANCE_DOMAIN, not stored yet)");
		await createTestUser();
		expect((await cli(["domain", "show"])).out).toEqual([
			"Domain: tern.test (stored when the first account was made)",
			"Federated: not yet",
		]);
		const moved = await cli(["domain", "set", "moved.test"], { INSTANCE_DOMAIN: "" });
		expect(moved.code).toBe(0);
		expect(moved.out[0]).toMatch(/^Moved from tern\.test to moved\.test: \d+ values rewritten\.$/);
		const conflict = await cli(["domain", "show"]);
		expect(conflict.out).toContain("INSTANCE_DOMAIN says tern.test: the server refuses to serve until they agree.");
		expect((await cli(["domain", "set", "tern.example"])).err[0]).toMatch(/placeholder/);
		// Put it back for the rest of this file's tests, which run as tern.test.
		await cli(["domain", "set", "tern.test"]);
	});

	it("says plainly when there is no domain yet", async () => {
		const none = await cli(["domain", "show"], { INSTANCE_DOMAIN: "" });
		expect(none.out[0]).toMatch(/^No domain yet/);
		const user = await cli(["user", "create", "early", "--email", "early@example.com"], { INSTANCE_DOMAIN: "" });
		expect(user.code).toBe(2);
		expect(user.err[0]).toMatch(/no domain yet: finish setup in the browser/);
	});
});
