import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CliEnv, runCli } from "../../src/cli/main";
import {
	accounts,
	adminActionLogs,
	deadLetters,
	domainBlocks,
	instanceRules,
	outboxEvents,
	users,
} from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { fakeActor, storeActor } from "../helpers/fediverse";
import { apiJson, captureOutbox, uniqueDomain } from "../helpers/moderation";
import { createTestUser, db } from "../helpers/users";

beforeEach(async () => {
	await captureOutbox();
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function cli(args: string[], options: { files?: Record<string, string>; hold?: boolean } = {}) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await runCli(args, { ...env } as CliEnv, {
		out: (l) => out.push(l),
		err: (l) => err.push(l),
		readFile: async (path) => {
			const text = options.files?.[path];
			if (text === undefined) throw new Error(`no file ${path}`);
			return new TextEncoder().encode(text);
		},
		holdQueueMessages: options.hold,
	});
	return { code, out, err };
}

describe("tern user suspend, silence and friends", () => {
	it("suspends, lists the state, refuses tokens, and undoes it; all logged as the CLI", async () => {
		const member = await createTestUser();
		const name = member.account.username;
		const suspended = await cli(["user", "suspend", name, "--reason", "spam"]);
		expect(suspended).toMatchObject({ code: 0, out: [`Suspended ${name}`] });
		const listed = await cli(["user", "list"]);
		expect(listed.out.find((line) => line.startsWith(`${name}\t`))).toMatch(/\tsuspended\t/);
		const token = await cli(["token", "create", name]);
		expect(token).toMatchObject({ code: 2, err: [`Error: ${name} is suspended: its tokens would be refused`] });
		expect((await cli(["user", "suspend", name])).err).toEqual(["Error: The account is already suspended"]);
		expect((await cli(["user", "unsuspend", name])).code).toBe(0);
		expect((await cli(["token", "create", name])).code).toBe(0);
		const logs = await db().select().from(adminActionLogs).where(eq(adminActionLogs.targetId, member.account.id));
		expect(logs.map((l) => [l.action, l.accountId])).toEqual([
			["suspend", null],
			["unsuspend", null],
		]);
	});

	it("limits remote accounts by handle, and says clearly when one does not exist", async () => {
		const remote = await storeActor(await fakeActor());
		expect((await cli(["user", "silence", `bob@${remote.domain}`])).code).toBe(0);
		const [row] = await db().select().from(accounts).where(eq(accounts.id, remote.id));
		expect(row?.silencedAt).not.toBeNull();
		expect(await cli(["user", "silence", "nobody-here"])).toMatchObject({
			code: 2,
			err: ["Error: No account named nobody-here"],
		});
		expect((await cli(["user", "silence"])).code).toBe(2);
	});

	it("rejects a pending sign-up with a notice", async () => {
		const member = await createTestUser();
		await db().update(users).set({ approved: false }).where(eq(users.id, member.user.id));
		expect((await cli(["user", "reject", member.account.username, "--notice", "Sorry"])).code).toBe(0);
		const [user] = await db().select().from(users).where(eq(users.id, member.user.id));
		expect(user?.rejectionNotice).toBe("Sorry");
		expect((await cli(["user", "approve", member.account.username])).err).toEqual([
			"Error: This account is not waiting for approval",
		]);
	});
});

describe("tern domain", () => {
	it("blocks, lists, imports (dry run first) and unblocks", async () => {
		const domain = uniqueDomain("cli");
		expect(await cli(["domain", "block", domain, "--severity", "silence", "--reject-media"])).toMatchObject({
			code: 0,
			out: [`Blocked ${domain} (silence)`],
		});
		expect((await cli(["domain", "list"])).out).toContain(`${domain}\tsilence\treject-media`);
		expect((await cli(["domain", "block", domain])).err).toEqual([`Error: ${domain} is already blocked (silence)`]);
		expect((await cli(["domain", "block", "bad domain"])).code).toBe(2);
		expect((await cli(["domain", "block", "x.example", "--severity", "total"])).code).toBe(2);
		const fresh = uniqueDomain("cli");
		const csv = `#domain,#severity\n${fresh},suspend\n${domain},suspend\n`;
		const dry = await cli(["domain", "import", "list.csv", "--dry-run"], { files: { "list.csv": csv } });
		expect(dry.out).toEqual([
			`line 2\t${fresh}\tsuspend\tadd`,
			`line 3\t${domain}\tsuspend\talready blocked`,
			"Dry run: 1 of 2 domains would be blocked.",
		]);
		expect(await db().select().from(domainBlocks).where(eq(domainBlocks.domain, fresh))).toEqual([]);
		expect((await cli(["domain", "import", "list.csv"], { files: { "list.csv": csv } })).out.at(-1)).toBe(
			"Blocked 1 of 2 domains.",
		);
		const malformed = await cli(["domain", "import", "bad.csv"], {
			files: { "bad.csv": "#domain,#severity\nx.example,loud\n" },
		});
		expect(malformed.code).toBe(2);
		expect(malformed.err[0]).toMatch(/Line 2: severity must be/);
		for (const d of [domain, fresh]) expect((await cli(["domain", "unblock", d])).code).toBe(0);
		expect((await cli(["domain", "unblock", domain])).err).toEqual([`Error: ${domain} is not blocked`]);
	});
});

describe("tern report list and rule list|remove", () => {
	it("lists open reports and removes rules by id", async () => {
		const reporter = await createTestUser();
		const target = await createTestUser();
		await apiJson("/api/v1/reports", reporter.token, {
			method: "POST",
			body: { account_id: target.account.id, comment: "rude words" },
		});
		const listed = await cli(["report", "list"]);
		expect(listed.out.some((line) => line.includes(target.account.username) && line.includes("rude words"))).toBe(true);
		const id = newId();
		await db().insert(instanceRules).values({ id, text: "No spam", position: 50, createdAt: new Date() });
		expect((await cli(["rule", "list"])).out).toContain(`${id}\t50\tNo spam`);
		expect((await cli(["rule", "remove", id])).out).toEqual([`Removed rule ${id}: No spam`]);
		expect((await cli(["rule", "remove", id])).err).toEqual([`Error: No rule with id ${id}`]);
	});
});

describe("tern deliveries dead|replay", () => {
	it("lists dead letters and holds replays for the server to send", async () => {
		const id = newId();
		await db()
			.insert(deadLetters)
			.values({
				id,
				queue: "tern-delivery",
				body: { type: "deliver", activityId: "1", inbox: "https://gone.example/inbox" },
				attempts: 17,
				createdAt: new Date(),
			});
		expect((await cli(["deliveries", "dead"])).out.find((l) => l.startsWith(id))).toContain(
			"delivery to https://gone.example/inbox",
		);
		expect((await cli(["deliveries", "replay", id])).code).toBe(0);
		const [held] = await db().select().from(deadLetters).where(eq(deadLetters.id, id));
		expect(held?.replayRequestedAt).not.toBeNull();
		expect((await cli(["deliveries", "dead"])).out.some((l) => l.startsWith(id))).toBe(false);
		expect((await cli(["deliveries", "replay", "999999999999999999"])).code).toBe(2);
		// The cron sends what is held.
		const sent: unknown[] = [];
		vi.spyOn(env.DELIVERY_QUEUE, "send").mockImplementation(async (body) => {
			sent.push(body);
			return undefined as never;
		});
		const { sendHeldMessages } = await import("../../src/services/moderation/dead-letters");
		expect(await sendHeldMessages(db(), env)).toBeGreaterThanOrEqual(1);
		expect(sent).toContainEqual({ type: "deliver", activityId: "1", inbox: "https://gone.example/inbox" });
		expect(await db().select().from(deadLetters).where(eq(deadLetters.id, id))).toEqual([]);
	});

	it("with local state, keeps what a suspension tells other servers in D1 for the server's sweep", async () => {
		const member = await createTestUser();
		expect((await cli(["user", "suspend", member.account.username], { hold: true })).code).toBe(0);
		const events = await db().select().from(outboxEvents);
		expect(events.map((row) => row.event)).toContainEqual({ type: "account.updated", accountId: member.account.id });
	});
});
