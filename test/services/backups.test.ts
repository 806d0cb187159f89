import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backups } from "../../src/db/schema";
import type { JobMessage } from "../../src/queues/messages";
import { restoreBackup } from "../../src/services/portability/backup-restore";
import { tableChecksum } from "../../src/services/portability/backup-tables";
import {
	lastBackupSummary,
	readManifest,
	startBackup,
	startDueBackup,
	writeBackupSchedule,
} from "../../src/services/portability/backups";
import { captureJobs, drainJobs } from "../helpers/jobs";
import { api, createTestUser, db } from "../helpers/users";

let jobs: JobMessage[];

beforeEach(() => {
	jobs = captureJobs();
	vi.spyOn(env.DELIVERY_QUEUE, "send").mockImplementation(async () => undefined as never);
});

afterEach(() => {
	vi.restoreAllMocks();
});

describe("backups", () => {
	it("backs every table up in steps and restores it into an empty database with identical rows and checksums", async () => {
		const user = await createTestUser();
		for (let i = 0; i < 3; i++) {
			await api("/api/v1/statuses", {
				method: "POST",
				token: user.token,
				body: new URLSearchParams({ status: `post ${i} with "quotes", commas, and ünïcödé` }),
			});
		}
		await db().delete(backups);
		const started = await startDueBackup({ db: db(), env });
		expect(started).not.toBeNull();
		expect(await startDueBackup({ db: db(), env })).toBeNull();
		const steps = await drainJobs(jobs);
		const [row] = await db()
			.select()
			.from(backups)
			.where(eq(backups.id, started?.id ?? ""));
		expect(row?.state).toBe("done");
		expect(steps).toBeGreaterThan(row?.tables ?? 0);
		const manifest = await readManifest(env.MEDIA, row?.id ?? "");
		expect(manifest?.tables.map((t) => t.name)).toEqual(
			expect.arrayContaining(["accounts", "statuses", "d1_migrations"]),
		);
		// Tables come after the ones they reference.
		const names = manifest?.tables.map((t) => t.name) ?? [];
		expect(names.indexOf("accounts")).toBeLessThan(names.indexOf("statuses"));

		const summary = await lastBackupSummary(db());
		expect(summary.last).toMatchObject({ id: row?.id, size: row?.size });

		const report = await restoreBackup(env.RESTORE_DB, env.MEDIA, row?.id ?? "");
		expect(report.tables.filter((t) => !t.ok)).toEqual([]);
		expect(report.ok).toBe(true);
		for (const table of manifest?.tables ?? []) {
			const actual = await tableChecksum(env.RESTORE_DB, table);
			expect({ name: table.name, ...actual }).toEqual({ name: table.name, rows: table.rows, checksum: table.checksum });
		}
		const statuses = await env.RESTORE_DB.prepare("select count(*) as n from statuses where account_id = ?")
			.bind(user.account.id)
			.first<{ n: number }>();
		expect(statuses?.n).toBe(3);
		// The generated column and the indexes came back with the schema.
		const key = await env.RESTORE_DB.prepare("select acct_key from accounts where id = ?")
			.bind(user.account.id)
			.first();
		expect(key).toEqual({ acct_key: `${user.account.username.toLowerCase()}@` });

		await expect(restoreBackup(env.RESTORE_DB, env.MEDIA, row?.id ?? "")).rejects.toThrow(/not empty/);
	}, 120_000);

	it("keeps only the newest backups", async () => {
		await db().delete(backups);
		await writeBackupSchedule(db(), { keep: 1, intervalHours: 24 });
		for (let i = 0; i < 2; i++) {
			const backup = await startBackup({ db: db(), env }, new Date(Date.now() + i));
			jobs.push({ type: "backup.step", backupId: backup.id });
			await drainJobs(jobs);
		}
		const left = await db().select().from(backups);
		expect(left).toHaveLength(1);
		await writeBackupSchedule(db(), { keep: 4, intervalHours: 168 });
	}, 60_000);
});
