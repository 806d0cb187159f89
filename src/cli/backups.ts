import type { Db } from "../db/client";
import { RestoreError, restoreBackup } from "../services/portability/backup-restore";
import {
	backupStep,
	listBackups,
	manifestsInBucket,
	startBackup,
	writeBackupSchedule,
} from "../services/portability/backups";
import { CliError } from "./args";

type Flags = Map<string, string | true>;
type Out = (line: string) => void;

export interface BackupEnv {
	DB: D1Database;
	MEDIA: R2Bucket;
	JOBS_QUEUE: Queue;
}

function size(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Backups as the bucket knows them (a restore needs nothing else), with the database's view when it has one. */
export async function backupList(env: BackupEnv, db: Db, out: Out): Promise<void> {
	const manifests = await manifestsInBucket(env.MEDIA);
	let running: string[] = [];
	try {
		running = (await listBackups(db)).filter((row) => row.state === "running").map((row) => row.id);
	} catch {
		// An empty database (before a restore) has no backups table: the bucket's list is the answer.
	}
	if (manifests.length === 0 && running.length === 0) {
		out("No backups yet.");
		return;
	}
	for (const id of running) out(`${id}\trunning`);
	for (const manifest of manifests) {
		const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
		out(
			`${manifest.id}\t${manifest.finishedAt}\t${manifest.tables.length} tables\t${rows} rows\t${size(manifest.size)}`,
		);
	}
}

/** A whole backup now, step after step here (the CLI has no CPU limit; the cron's runs one step per message). */
export async function backupCreate(env: BackupEnv, db: Db, out: Out): Promise<void> {
	const backup = await startBackup({ db, env });
	let steps = 0;
	while (await backupStep({ db, env }, backup.id)) steps++;
	out(`Backup ${backup.id} done in ${steps} steps`);
}

export async function backupRestore(env: BackupEnv, positionals: string[], out: Out): Promise<void> {
	const id = positionals[0];
	if (!id) throw new CliError("backup restore needs a backup id (see backup list)");
	try {
		const report = await restoreBackup(env.DB, env.MEDIA, id, out);
		for (const table of report.tables) {
			if (!table.ok) {
				out(`MISMATCH ${table.name}: ${table.rows} rows (expected ${table.expectedRows}), checksum ${table.checksum}`);
			}
		}
		if (!report.ok) throw new CliError("The restored rows do not match the backup's checksums");
		out(
			`Restored backup ${id}: ${report.tables.length} tables, every row count and checksum matches (${report.millis} ms)`,
		);
	} catch (error) {
		if (error instanceof RestoreError) throw new CliError(error.message);
		throw error;
	}
}

export async function backupSchedule(db: Db, flags: Flags, out: Out): Promise<void> {
	const number = (name: string) => {
		const value = flags.get(name);
		if (value === undefined) return undefined;
		const parsed = Number(value);
		if (!Number.isInteger(parsed) || parsed < 1) throw new CliError(`--${name} needs a whole number above 0`);
		return parsed;
	};
	const schedule = await writeBackupSchedule(db, { intervalHours: number("every"), keep: number("keep") });
	out(`Backups every ${schedule.intervalHours} hours, the newest ${schedule.keep} kept`);
}
