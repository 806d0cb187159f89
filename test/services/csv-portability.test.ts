import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accountDomainBlocks, dataImports, follows, listAccounts, lists, mutes } from "../../src/db/schema";
import type { JobMessage } from "../../src/queues/messages";
import { parseCsv } from "../../src/services/portability/csv";
import { exportCsv } from "../../src/services/portability/csv-exports";
import { readImportFile } from "../../src/services/portability/csv-import-files";
import { createCsvImport, importProblems } from "../../src/services/portability/imports";
import { captureJobs, drainJobs } from "../helpers/jobs";
import { api, config, createTestUser, db } from "../helpers/users";

let jobs: JobMessage[];

beforeEach(() => {
	jobs = captureJobs();
	vi.spyOn(env.DELIVERY_QUEUE, "send").mockImplementation(async () => undefined as never);
});

afterEach(() => {
	vi.restoreAllMocks();
});

const file = (text: string) => ({ size: text.length, text: async () => text });

async function runImport(
	account: Parameters<typeof createCsvImport>[1],
	type: Parameters<typeof createCsvImport>[2]["type"],
	text: string,
	overwrite = false,
) {
	const created = await createCsvImport({ db: db(), env, config: config() }, account, {
		type,
		overwrite,
		filename: null,
		file: file(text),
	});
	await drainJobs(jobs);
	const [row] = await db().select().from(dataImports).where(eq(dataImports.id, created.import.id));
	return row;
}

describe("CSV files", () => {
	it("parses quoting, CRLF and blank lines as Ruby's CSV does", () => {
		expect(parseCsv('a,"b, c","d ""e"""\r\n\r\nf,,\n')).toEqual([
			["a", "b, c", 'd "e"'],
			["f", "", ""],
		]);
	});

	it("reads files with and without a header, and refuses the wrong kind", () => {
		expect(readImportFile("following", "alice@a.example\n@bob@b.example\n").rows).toEqual([
			{ acct: "alice@a.example" },
			{ acct: "bob@b.example" },
		]);
		const withHeader = readImportFile(
			"following",
			'Account address,Show boosts,Notify on new posts,Languages\nalice@a.example,false,true,"en, de"\n',
		);
		expect(withHeader.rows).toEqual([
			{ acct: "alice@a.example", show_reblogs: false, notify: true, languages: ["en", "de"] },
		]);
		expect(() => readImportFile("domain_blocking", "Account address\nalice@a.example\n")).toThrow(/columns/);
		expect(() => readImportFile("following", "")).toThrow(/empty/);
	});
});

describe("export and import with Mastodon's columns", () => {
	it("exports follows, mutes, lists and domain blocks, and a second account re-follows everyone from the file", async () => {
		const [alice, bob, carol, dave] = await Promise.all([
			createTestUser(),
			createTestUser(),
			createTestUser(),
			createTestUser(),
		]);
		const domain = config().domain;
		await api(`/api/v1/accounts/${bob.account.id}/follow`, {
			method: "POST",
			token: alice.token,
			body: new URLSearchParams({ reblogs: "false", notify: "true" }),
		});
		await api(`/api/v1/accounts/${carol.account.id}/follow`, { method: "POST", token: alice.token });
		await api(`/api/v1/accounts/${dave.account.id}/mute`, { method: "POST", token: alice.token });
		await api("/api/v1/domain_blocks", {
			method: "POST",
			token: alice.token,
			body: new URLSearchParams({ domain: "spam.example" }),
		});

		const followsCsv = await exportCsv(db(), config(), alice.account.id, "follows");
		expect(followsCsv.split("\n")[0]).toBe("Account address,Show boosts,Notify on new posts,Languages");
		expect(followsCsv).toContain(`${bob.account.username}@${domain},false,true,\n`);
		expect(followsCsv).toContain(`${carol.account.username}@${domain},true,false,\n`);
		expect(await exportCsv(db(), config(), alice.account.id, "mutes")).toBe(
			`Account address,Hide notifications\n${dave.account.username}@${domain},true\n`,
		);
		expect(await exportCsv(db(), config(), alice.account.id, "domain_blocks")).toBe("spam.example\n");

		const csvDownload = await api("/settings/data/csv/follows");
		expect(csvDownload.status).toBe(401);

		const erin = await createTestUser();
		const first = await runImport(erin.account, "following", followsCsv);
		expect(first).toMatchObject({ state: "done", totalItems: 2, processedItems: 2, importedItems: 2 });
		const erinFollows = await db().select().from(follows).where(eq(follows.accountId, erin.account.id));
		expect(erinFollows.map((f) => f.targetAccountId).sort()).toEqual([bob.account.id, carol.account.id].sort());
		expect(erinFollows.find((f) => f.targetAccountId === bob.account.id)).toMatchObject({
			showReblogs: false,
			notify: true,
		});

		// Again: nothing twice.
		const second = await runImport(erin.account, "following", followsCsv);
		expect(second?.importedItems).toBe(2);
		expect(await db().select().from(follows).where(eq(follows.accountId, erin.account.id))).toHaveLength(2);

		// Overwrite with a file naming only carol and an unknown handle: bob goes, the unknown one is reported.
		const third = await runImport(
			erin.account,
			"following",
			`${carol.account.username}@${domain}\nnobody@${domain}\n`,
			true,
		);
		expect(third).toMatchObject({ state: "done", processedItems: 2, importedItems: 1 });
		const left = await db().select().from(follows).where(eq(follows.accountId, erin.account.id));
		expect(left.map((f) => f.targetAccountId)).toEqual([carol.account.id]);
		expect(await importProblems(db(), third?.id ?? "")).toEqual([
			expect.objectContaining({ item: `nobody@${domain}`, reason: "Account not found", state: "failed" }),
		]);

		await runImport(erin.account, "muting", await exportCsv(db(), config(), alice.account.id, "mutes"));
		expect(await db().select().from(mutes).where(eq(mutes.accountId, erin.account.id))).toHaveLength(1);
		await runImport(erin.account, "domain_blocking", "spam.example\nSPAM.example\n");
		expect(
			await db().select().from(accountDomainBlocks).where(eq(accountDomainBlocks.accountId, erin.account.id)),
		).toHaveLength(1);

		await runImport(
			erin.account,
			"lists",
			`Friends,${carol.account.username}@${domain}\nFriends,${bob.account.username}@${domain}\n`,
		);
		const [list] = await db()
			.select()
			.from(lists)
			.where(and(eq(lists.accountId, erin.account.id), eq(lists.title, "Friends")));
		expect(
			await db()
				.select()
				.from(listAccounts)
				.where(eq(listAccounts.listId, list?.id ?? "")),
		).toHaveLength(2);
		expect(await exportCsv(db(), config(), erin.account.id, "lists")).toContain(
			`Friends,${carol.account.username}@${domain}\n`,
		);
	});
});
