import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, ROOT, startDevServer, tern } from "./dev-server";
import { freePort } from "./free-port";

// The README's promise: `npm run dev`, then `npx tern user create` and
// `npx tern token create` give a token the running server accepts.
describe("admin CLI against a running dev server", () => {
	let server: DevServer;

	beforeAll(async () => {
		server = await startDevServer(await freePort());
	});

	afterAll(async () => {
		await server?.stop();
	});

	it("creates a user and a token that verify_credentials accepts", async () => {
		const created = await tern([
			"user",
			"create",
			"alice",
			"--email",
			"alice@example.com",
			"--admin",
			"--state",
			server.state,
		]);
		expect(created.stderr).toBe("");
		expect(created.code).toBe(0);
		expect(created.stdout).toMatch(/^Created admin alice \(account id \d{18}\)\nPassword: \S+\n$/);

		const token = await tern(["token", "create", "alice", "--state", server.state]);
		expect(token.code).toBe(0);
		expect(token.stdout).toMatch(/^[\w-]{43}\n$/);

		const response = await fetch(`${server.url}/api/v1/accounts/verify_credentials`, {
			headers: { Authorization: `Bearer ${token.stdout.trim()}` },
		});
		expect(response.status).toBe(200);
		const account = (await response.json()) as { username: string; uri: string; role: { name: string } };
		expect(account.username).toBe("alice");
		expect(account.uri).toBe(`${server.url}/users/alice`);
		expect(account.role.name).toBe("Admin");

		const listed = await tern(["user", "list", "--state", server.state]);
		expect(listed.stdout).toMatch(/^alice\talice@example.com\tadmin\tactive\t/);
	});

	it("keeps the state folder's own .dev.vars, and says what it did in a few lines", async () => {
		const vars = readFileSync(join(server.state, ".dev.vars"), "utf8");
		expect(vars).toMatch(/^KEY_ENCRYPTION_SECRET=[\w-]{43}$/m);
		expect(vars).toMatch(/^ALLOW_PRIVATE_ADDRESSES=true$/m);
		expect(existsSync(join(ROOT, ".dev.vars.example"))).toBe(true);
		// Before wrangler starts: the .dev.vars line, one line for the migrations, the hint.
		const beforeWrangler = server.output().split("⛅️")[0] ?? "";
		expect(beforeWrangler).toMatch(/^Applied \d+ migrations to the local database\.$/m);
		expect(beforeWrangler.split("\n").filter((line) => line.trim() !== "").length).toBeLessThan(12);
	});

	it("answers a bad token with 401 in Mastodon's shape", async () => {
		const response = await fetch(`${server.url}/api/v1/accounts/verify_credentials`, {
			headers: { Authorization: "Bearer nope" },
		});
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ error: "The access token is invalid" });
	});

	it("says clearly when the state folder has no database yet", async () => {
		const empty = mkdtempSync(join(tmpdir(), "tern-empty-"));
		try {
			const result = await tern(["user", "list", "--state", empty]);
			expect(result.code).toBe(3);
			expect(result.stderr).toMatch(/the database has no Tern tables yet/);
		} finally {
			rmSync(empty, { recursive: true, force: true });
		}
	});
});
