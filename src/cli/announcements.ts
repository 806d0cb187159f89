import type { Db } from "../db/client";
import { addAnnouncement, listAllAnnouncements, removeAnnouncement } from "../services/instance/announcements";
import { CLI_MODERATOR, logActionStatement } from "../services/moderation/audit-log";
import { CliError } from "./args";

type Flags = Map<string, string | true>;
type Out = (line: string) => void;

function dateFlag(flags: Flags, name: string): Date | null {
	const value = flags.get(name);
	if (value === undefined) return null;
	// An ISO 8601 date or date-time; a bare date means midnight UTC.
	const date =
		typeof value === "string" && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
			? new Date(value)
			: new Date(Number.NaN);
	if (Number.isNaN(date.getTime())) throw new CliError(`--${name} needs an ISO 8601 date, e.g. 2026-12-24T18:00:00Z`);
	return date;
}

export async function announcementAdd(db: Db, positionals: string[], flags: Flags, out: Out): Promise<void> {
	const text = positionals.join(" ");
	if (!text.trim()) throw new CliError('announcement add needs the text, e.g. announcement add "Maintenance tonight"');
	const announcement = await addAnnouncement(db, {
		text,
		startsAt: dateFlag(flags, "starts"),
		endsAt: dateFlag(flags, "ends"),
		allDay: flags.has("all-day"),
	});
	await logActionStatement(db, CLI_MODERATOR, {
		action: "create",
		targetType: "Announcement",
		targetId: announcement.id,
		humanIdentifier: announcement.text.slice(0, 80),
	});
	out(`Added announcement ${announcement.id}`);
}

export async function announcementList(db: Db, out: Out): Promise<void> {
	const rows = await listAllAnnouncements(db);
	if (rows.length === 0) {
		out("No announcements.");
		return;
	}
	const now = Date.now();
	for (const row of rows) {
		const state = !row.published
			? "unpublished"
			: row.endsAt && row.endsAt.getTime() <= now
				? "ended"
				: row.startsAt && row.startsAt.getTime() > now
					? "scheduled"
					: "active";
		const window = `${row.startsAt?.toISOString() ?? "-"}\t${row.endsAt?.toISOString() ?? "-"}${row.allDay ? " (all day)" : ""}`;
		out(`${row.id}\t${state}\t${window}\t${row.text.replace(/\s+/g, " ")}`);
	}
}

export async function announcementRemove(db: Db, positionals: string[], out: Out): Promise<void> {
	const id = positionals[0];
	if (!id) throw new CliError("announcement remove needs an announcement id (see announcement list)");
	if (!(await removeAnnouncement(db, id))) throw new CliError(`No announcement with id ${id}`);
	await logActionStatement(db, CLI_MODERATOR, {
		action: "destroy",
		targetType: "Announcement",
		targetId: id,
		humanIdentifier: `#${id}`,
	});
	out(`Removed announcement ${id}`);
}
