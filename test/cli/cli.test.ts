import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type CliEnv, runCli } from "../../src/cli/main";
import { accountKeys, users } from "../../src/db/schema";
import { api, createTestUser, db } from "../helpers/users";

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

describe("tern announcement", () => {
	it("adds, lists and removes announcements that users then see", async () => {
		const text = `Maintenance ${uniqueName()}`;
		const added = await cli(["announcement", "add", text]);
		expect(added.err).toEqual([]);
		expect(added.code).toBe(0);
		const id = /^Added announcement (\d{18})$/.exec(added.out[0] ?? "")?.[1] as string;
		expect(id).toBeDefined();

		const starts = new Date(Date.now() + 86_400_000).toISOString();
		const ends = new Date(Date.now() + 2 * 86_400_000).toISOString();
		const later = await cli(["announcement", "add", "Party", "--starts", starts, "--ends", ends, "--all-day"]);
		expect(later.code).toBe(0);
		const laterId = /(\d{18})$/.exec(later.out[0] ?? "")?.[1] as string;

		const listed = await cli(["announcement", "list"]);
		expect(listed.code).toBe(0);
		expect(listed.out).toContain(`${id}\tactive\t-\t-\t${text}`);
		expect(listed.out).toContain(`${laterId}\tscheduled\t${starts}\t${ends} (all day)\tParty`);

		const user = await createTestUser();
		const seen = (await (await api("/api/v1/announcements", { token: user.token })).json()) as { id: string }[];
		expect(seen.map((a) => a.id)).toContain(id);
		expect(seen.map((a) => a.id)).not.toContain(laterId);

		const removed = await cli(["announcement", "remove", id]);
		expect(removed.out).toEqual([`Removed announcement ${id}`]);
		expect((await cli(["announcement", "list"])).out.some((line) => line.startsWith(id))).toBe(false);
		const again = await cli(["announcement", "remove", id]);
		expect(again.code).toBe(2);
		expect(again.err).toEqual([`Error: No announcement with id ${id}`]);
	});

	it("refuses missing text, half windows and bad dates", async () => {
		const cases: [string[], string][] = [
			[["announcement", "add"], "announcement add needs the text"],
			[["announcement", "add", "x", "--starts", "2030-01-01"], "Starts and ends must be given together"],
			[["announcement", "add", "x", "--starts", "tomorrow", "--ends", "2030-01-01"], "needs an ISO 8601 date"],
			[["announcement", "add", "x", "--starts", "2030-01-02", "--ends", "2030-01-01"], "Ends must be after starts"],
			[["announcement", "add", "x", "--all-day"], "All day needs starts and ends"],
			[["announcement", "remove"], "needs an announcement id"],
		];
		for (const [args, message] of cases) {
			const result = await cli(args);
			expect(result.code, args.join(" ")).toBe(2);
			expect(result.err[0], args.join(" ")).toContain(message);
		}
	});

	it("is in the usage text", async () => {
		const usage = (await cli(["--help"])).out[0];
		expect(usage).toContain('announcement add "<text>" [--starts <iso date>] [--ends <iso date>] [--all-day]');
		expect(usage).toContain("announcement list");
		expect(usage).toContain("announcement remove <id>");
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

describe("tern user reset-password", () => {
	it("prints a one-time link that opens the reset page", async () => {
		const user = await createTestUser();
		const result = await cli(["user", "reset-password", user.account.username]);
		expect(result.code).toBe(0);
		const url = result.out[1] as string;
		expect(url).toMatch(/^https:\/\/tern\.test\/auth\/password\/reset\/[A-Za-z0-9_-]{40,}$/);
		const page = await api(new URL(url).pathname);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(`@${user.account.username}`);
	});

	it("refuses an unknown name", async () => {
		const result = await cli(["user", "reset-password", "nobody-at-all"]);
		expect(result.code).not.toBe(0);
		expect(result.err.join("\n")).toContain("No local user named nobody-at-all");
	});
});
