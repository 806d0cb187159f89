import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type CliEnv, runCli } from "../../src/cli/main";
import { accountKeys, users } from "../../src/db/schema";
import { api, db } from "../helpers/users";

async function cli(args: string[], overrides: Partial<CliEnv> = {}) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await runCli(args, { ...env, ...overrides }, { out: (l) => out.push(l), err: (l) => err.push(l) });
	return { code, out, err };
}

let n = 0;
const uniqueName = () => `cli${Date.now().toString(36)}${++n}`;

describe("tern user create", () => {
	it("creates a confirmed account with keys and prints a generated password", async () => {
		const name = uniqueName();
		const result = await cli(["user", "create", name, "--email", `${name}@example.com`]);
		expect(result.err).toEqual([]);
		expect(result.code).toBe(0);
		expect(result.out[0]).toMatch(new RegExp(`^Created user ${name} \\(account id \\d{18}\\)$`));
		expect(result.out[1]).toMatch(/^Password: \S{20,}$/);
		const [user] = await db()
			.select()
			.from(users)
			.where(eq(users.email, `${name}@example.com`));
		expect(user?.confirmedAt).not.toBeNull();
		expect(user?.role).toBe("user");
		const [keys] = await db()
			.select()
			.from(accountKeys)
			.where(eq(accountKeys.accountId, user?.accountId ?? ""));
		expect(keys?.rsaPublicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
		expect(keys?.ed25519PublicKeyMultibase).toMatch(/^z6Mk/);
		expect(keys?.rsaPrivateKeySealed).toMatch(/^v1\./);
	});

	it("honours --password and --admin and does not print the password", async () => {
		const name = uniqueName();
		const result = await cli([
			"user",
			"create",
			name,
			"--email",
			`${name}@example.com`,
			"--password",
			"a long password",
			"--admin",
		]);
		expect(result.code).toBe(0);
		expect(result.out).toEqual([expect.stringMatching(new RegExp(`^Created admin ${name} `))]);
	});

	it("refuses a taken name, case-insensitively, and changes nothing", async () => {
		const name = uniqueName();
		expect((await cli(["user", "create", name, "--email", `${name}@example.com`])).code).toBe(0);
		const again = await cli(["user", "create", name.toUpperCase(), "--email", `other-${name}@example.com`]);
		expect(again.code).toBe(2);
		expect(again.err).toEqual(["Error: Username is already taken"]);
		const rows = await db()
			.select()
			.from(users)
			.where(eq(users.email, `other-${name}@example.com`));
		expect(rows).toEqual([]);
	});

	it("refuses a taken email", async () => {
		const name = uniqueName();
		await cli(["user", "create", name, "--email", `${name}@example.com`]);
		const result = await cli(["user", "create", uniqueName(), "--email", `${name.toUpperCase()}@example.com`]);
		expect(result.err).toEqual(["Error: Email is already taken"]);
	});

	it("refuses bad names, emails and passwords with a clear message", async () => {
		const cases: [string[], string][] = [
			[["user", "create", "bad name", "--email", "x@example.com"], "Username may only contain"],
			[["user", "create", "-dash", "--email", "x@example.com"], "Username may only contain"],
			[["user", "create", "a".repeat(31), "--email", "x@example.com"], "too long"],
			[["user", "create", "tern.test", "--email", "x@example.com"], "reserved"],
			[["user", "create", uniqueName(), "--email", "not-an-email"], "Email is invalid"],
			[["user", "create", uniqueName(), "--email", "x@example.com", "--password", "short"], "too short"],
			[["user", "create", uniqueName()], "--email is required"],
			[["user", "create"], "needs a username"],
		];
		for (const [args, message] of cases) {
			const result = await cli(args);
			expect(result.code, args.join(" ")).toBe(2);
			expect(result.err[0], args.join(" ")).toContain(message);
		}
	});

	it("without the key secret, hands key generation to the job queue", async () => {
		const name = uniqueName();
		const sent: unknown[] = [];
		const queue = { send: async (body: unknown) => void sent.push(body) } as unknown as Queue;
		const result = await cli(["user", "create", name, "--email", `${name}@example.com`], {
			KEY_ENCRYPTION_SECRET: undefined,
			JOBS_QUEUE: queue,
		});
		expect(result.code).toBe(0);
		expect(sent).toEqual([{ type: "account.generate_keys", accountId: expect.stringMatching(/^\d{18}$/) }]);
	});
});

describe("tern user list", () => {
	it("lists local users with their role and state", async () => {
		const name = uniqueName();
		await cli(["user", "create", name, "--email", `${name}@example.com`, "--moderator"]);
		const result = await cli(["user", "list"]);
		expect(result.code).toBe(0);
		expect(result.out.some((line) => line.startsWith(`${name}\t${name}@example.com\tmoderator\tactive\t`))).toBe(true);
	});
});

describe("tern token create", () => {
	it("prints a token that verify_credentials accepts", async () => {
		const name = uniqueName();
		await cli(["user", "create", name, "--email", `${name}@example.com`]);
		const result = await cli(["token", "create", name]);
		expect(result.code).toBe(0);
		const [token] = result.out;
		expect(token).toMatch(/^[\w-]{43}$/);
		const response = await api("/api/v1/accounts/verify_credentials", { token });
		expect(response.status).toBe(200);
		expect(((await response.json()) as { username: string }).username).toBe(name);
	});

	it("limits the token to the scopes asked for", async () => {
		const name = uniqueName();
		await cli(["user", "create", name, "--email", `${name}@example.com`]);
		const { out } = await cli(["token", "create", name, "--scopes", "write:statuses"]);
		const response = await api("/api/v1/accounts/verify_credentials", { token: out[0] });
		expect(response.status).toBe(403);
	});

	it("refuses unknown users and unknown scopes", async () => {
		expect((await cli(["token", "create", "nobody-here"])).err).toEqual(["Error: No local user named nobody-here"]);
		const name = uniqueName();
		await cli(["user", "create", name, "--email", `${name}@example.com`]);
		expect((await cli(["token", "create", name, "--scopes", "read launch"])).err).toEqual([
			"Error: Unknown scopes: launch",
		]);
	});
});

describe("the CLI itself", () => {
	it("prints usage and rejects unknown commands", async () => {
		expect((await cli(["--help"])).out[0]).toMatch(/^Usage: tern/);
		const unknown = await cli(["user", "delete", "x"]);
		expect(unknown.code).toBe(2);
		expect(unknown.err[0]).toContain("Unknown command: user delete");
	});

	it("explains a database without tables", async () => {
		const empty = {
			prepare: () => {
				throw new Error("D1_ERROR: no such table: accounts: SQLITE_ERROR");
			},
			batch: async () => {
				throw new Error("D1_ERROR: no such table: accounts: SQLITE_ERROR");
			},
		} as unknown as D1Database;
		const result = await cli(["user", "list"], { DB: empty });
		expect(result.code).toBe(3);
		expect(result.err[0]).toMatch(/database has no Tern tables yet.*migrations apply DB --local/);
	});
});
