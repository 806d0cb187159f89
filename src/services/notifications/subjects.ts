import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import {
	type Account,
	type AccountWarning,
	accounts,
	accountWarnings,
	type Notification,
	type RelationshipSeveranceEvent,
	type Report,
	relationshipSeveranceEvents,
	reports,
} from "../../db/schema";

/** What non-status notifications are about, loaded for a page at once. */
export interface NotificationSubjects {
	reports: ReadonlyMap<string, { report: Report; target: Account }>;
	warnings: ReadonlyMap<string, { warning: AccountWarning; target: Account }>;
	events: ReadonlyMap<string, RelationshipSeveranceEvent>;
}

export const NO_SUBJECTS: NotificationSubjects = { reports: new Map(), warnings: new Map(), events: new Map() };

function idsOf(rows: Pick<Notification, "type" | "subjectId">[], type: Notification["type"]): string[] {
	return [...new Set(rows.flatMap((row) => (row.type === type && row.subjectId ? [row.subjectId] : [])))];
}

/** At most one query per kind present on the page (none for pages of ordinary notifications). */
export async function loadNotificationSubjects(
	db: Db,
	rows: Pick<Notification, "type" | "subjectId">[],
): Promise<NotificationSubjects> {
	const reportIds = idsOf(rows, "admin.report");
	const warningIds = idsOf(rows, "moderation_warning");
	const eventIds = idsOf(rows, "severed_relationships");
	if (reportIds.length + warningIds.length + eventIds.length === 0) return NO_SUBJECTS;
	const [reportRows, warningRows, eventRows] = await Promise.all([
		reportIds.length > 0
			? db
					.select({ report: reports, target: accounts })
					.from(reports)
					.innerJoin(accounts, eq(accounts.id, reports.targetAccountId))
					.where(inIdList(reports.id, reportIds))
			: [],
		warningIds.length > 0
			? db
					.select({ warning: accountWarnings, target: accounts })
					.from(accountWarnings)
					.innerJoin(accounts, eq(accounts.id, accountWarnings.targetAccountId))
					.where(inIdList(accountWarnings.id, warningIds))
			: [],
		eventIds.length > 0
			? db.select().from(relationshipSeveranceEvents).where(inIdList(relationshipSeveranceEvents.id, eventIds))
			: [],
	]);
	return {
		reports: new Map(reportRows.map((row) => [row.report.id, row])),
		warnings: new Map(warningRows.map((row) => [row.warning.id, row])),
		events: new Map(eventRows.map((row) => [row.id, row])),
	};
}
