import { and, asc, desc, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import {
	type Account,
	instanceRules,
	mediaAttachments,
	REPORT_CATEGORIES,
	type Report,
	type ReportCategory,
	type ReportedStatusSnapshot,
	type ReportNote,
	reportNotes,
	reports,
	statuses,
} from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { UnprocessableError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { canViewStatus } from "../statuses/visibility";
import { logActionStatement, type Moderator } from "./audit-log";
import type { ModerationContext } from "./context";
import { domainPolicy, normalizeDomain, ruleFor } from "./domain-policy";
import { staffAccountIds, staffNotificationStatement } from "./staff";

export const REPORT_COMMENT_MAX = 1000;
/** Remote reports may say more; Mastodon keeps what they send up to this. */
const REMOTE_COMMENT_MAX = 5000;
const MAX_REPORTED_STATUSES = 100;

export interface ReportInput {
	targetAccount: Account;
	statusIds?: string[];
	comment?: string;
	category?: string;
	ruleIds?: string[];
	/** Send the report on to the reported account's server as a Flag from this instance. */
	forward?: boolean;
	/** Other servers to forward to (those the reported posts replied to); defaults to the target's. */
	forwardToDomains?: string[];
}

export class ReportedStatusNotFound extends Error {}

/** What the reported posts look like now, kept with the report. */
async function snapshots(db: Db, statusIds: string[]): Promise<ReportedStatusSnapshot[]> {
	if (statusIds.length === 0) return [];
	const [rows, media] = await db.batch([
		db.select().from(statuses).where(inIdList(statuses.id, statusIds)),
		db
			.select({
				statusId: mediaAttachments.statusId,
				type: mediaAttachments.type,
				fileKey: mediaAttachments.fileKey,
				remoteUrl: mediaAttachments.remoteUrl,
				description: mediaAttachments.description,
			})
			.from(mediaAttachments)
			.where(inIdList(mediaAttachments.statusId, statusIds))
			.orderBy(asc(mediaAttachments.id)),
	]);
	return rows.map((status) => ({
		id: status.id,
		uri: status.uri,
		url: status.url,
		content: status.content,
		spoilerText: status.spoilerText,
		visibility: status.visibility,
		sensitive: status.sensitive,
		createdAt: status.createdAt.toISOString(),
		media: media
			.filter((m) => m.statusId === status.id)
			.map((m) => ({ type: m.type, url: m.fileKey ? `/media/${m.fileKey}` : m.remoteUrl, description: m.description })),
	}));
}

/** Staff who handle reports hear of a new one through an `admin.report` notification. */
function notifyStaffStatement(db: Db, staff: string[], reportId: string, reporterId: string, at: Date) {
	return staffNotificationStatement(db, staff, {
		type: "admin.report",
		fromAccountId: reporterId,
		subjectId: reportId,
		at,
	});
}

function checkCategory(value: string | undefined, ruleIds: string[]): ReportCategory {
	if (value === undefined || value === "") return ruleIds.length > 0 ? "violation" : "other";
	if (!(REPORT_CATEGORIES as readonly string[]).includes(value)) {
		throw new ValidationError("category", `Category must be one of ${REPORT_CATEGORIES.join(", ")}`);
	}
	return value as ReportCategory;
}

async function checkRules(db: Db, ruleIds: string[], category: ReportCategory): Promise<string[]> {
	const unique = [...new Set(ruleIds)];
	if (unique.length === 0) return [];
	if (category !== "violation")
		throw new ValidationError("rule_ids", "Rules can only be cited for the violation category");
	const found = await db.select({ id: instanceRules.id }).from(instanceRules).where(inIdList(instanceRules.id, unique));
	if (found.length !== unique.length) throw new ValidationError("rule_ids", "Rule ids are invalid");
	return unique;
}

/**
 * A member reports an account and some of its posts. Staff are notified;
 * with `forward`, a remote account's server gets the report as a Flag signed
 * by the instance actor (without saying who reported it, as on Mastodon).
 */
export async function createReport(ctx: ModerationContext, reporter: Account, input: ReportInput): Promise<Report> {
	const { db } = ctx;
	const target = input.targetAccount;
	if (target.id === reporter.id) throw new ValidationError("account_id", "You cannot report yourself");
	const comment = (input.comment ?? "").trim();
	if (comment.length > REPORT_COMMENT_MAX) {
		throw new ValidationError("comment", `Comment is too long (maximum is ${REPORT_COMMENT_MAX} characters)`);
	}
	const ruleIds = input.ruleIds ?? [];
	const category = checkCategory(input.category, ruleIds);
	const rules = await checkRules(db, ruleIds, category);
	const statusIds = [...new Set(input.statusIds ?? [])];
	if (statusIds.length > MAX_REPORTED_STATUSES) {
		throw new ValidationError("status_ids", `At most ${MAX_REPORTED_STATUSES} posts can be reported at once`);
	}
	if (statusIds.length > 0) {
		const rows = await db.select().from(statuses).where(inIdList(statuses.id, statusIds));
		for (const id of statusIds) {
			const row = rows.find((r) => r.id === id);
			// Posts of someone else, or ones the reporter cannot see, are "not found", as Mastodon answers.
			if (!row || row.accountId !== target.id || !(await canViewStatus(db, reporter.id, row))) {
				throw new ReportedStatusNotFound(id);
			}
		}
	}
	const forwardDomains = input.forward && target.domain !== null ? await forwardingDomains(ctx, target, input) : [];
	const now = new Date();
	const report: Report = {
		id: newId(now),
		accountId: reporter.id,
		targetAccountId: target.id,
		statusIds,
		statusSnapshots: await snapshots(db, statusIds),
		comment,
		category,
		ruleIds: rules,
		forwarded: forwardDomains.length > 0,
		uri: `${ctx.config.origin}/${crypto.randomUUID()}`,
		assignedAccountId: null,
		actionTakenAt: null,
		actionTakenByAccountId: null,
		createdAt: now,
		updatedAt: now,
	};
	const staff = await staffAccountIds(db, "manageReports");
	await db.batch([
		db.insert(reports).values(report),
		notifyStaffStatement(db, staff, report.id, reporter.id, now),
		// Sent on as a Flag by the outbox relay once the report is stored (and only then).
		...(forwardDomains.length > 0
			? [publishOutboxEvent(db, { type: "report.forwarded", reportId: report.id, domains: forwardDomains })]
			: []),
	]);
	return report;
}

/** The reported account's own server, plus those its reported posts replied to that the reporter named. */
async function forwardingDomains(ctx: ModerationContext, target: Account, input: ReportInput): Promise<string[]> {
	const requested = (input.forwardToDomains ?? []).map((d) => normalizeDomain(d)).filter((d): d is string => !!d);
	const domains = new Set<string>([target.domain as string]);
	if (requested.length > 0 && (input.statusIds ?? []).length > 0) {
		const rows = await ctx.db.all<{ domain: string }>(sql`select distinct a.domain as domain from statuses s
			join accounts a on a.id = s.in_reply_to_account_id
			where s.id in (select value from json_each(${JSON.stringify(input.statusIds)})) and a.domain is not null`);
		for (const row of rows) if (requested.includes(row.domain.toLowerCase())) domains.add(row.domain);
	}
	return [...domains];
}

export interface RemoteReportInput {
	/** Local accounts the Flag names (directly or as authors of the named posts). */
	targetAccountIds: string[];
	/** Local posts the Flag names, by author. */
	statusIdsByAccount: Map<string, string[]>;
	comment: string;
	uri: string | null;
}

/**
 * A Flag from another server becomes one report per local account it names,
 * "from" the sending actor (for Mastodon, the server's instance actor). A
 * domain blocked with reject_reports is not listened to; a redelivered Flag
 * is recorded once.
 */
export async function fileRemoteReports(
	ctx: ModerationContext,
	sender: Account,
	input: RemoteReportInput,
): Promise<Report[]> {
	if (sender.domain === null) return [];
	const policy = await domainPolicy(ctx);
	if (ruleFor(policy, sender.domain)?.rejectReports) return [];
	const now = new Date();
	const created: Report[] = [];
	const staff = await staffAccountIds(ctx.db, "manageReports");
	for (const [index, targetId] of input.targetAccountIds.entries()) {
		const statusIds = input.statusIdsByAccount.get(targetId) ?? [];
		const report: Report = {
			id: newId(now),
			accountId: sender.id,
			targetAccountId: targetId,
			statusIds,
			statusSnapshots: await snapshots(ctx.db, statusIds),
			comment: input.comment.slice(0, REMOTE_COMMENT_MAX),
			category: "other",
			ruleIds: [],
			forwarded: false,
			// Several accounts in one Flag share its id; each report keeps its own.
			uri: input.uri ? (index === 0 ? input.uri : `${input.uri}#${targetId}`) : null,
			assignedAccountId: null,
			actionTakenAt: null,
			actionTakenByAccountId: null,
			createdAt: now,
			updatedAt: now,
		};
		const [inserted] = await ctx.db.batch([
			ctx.db.insert(reports).values(report).onConflictDoNothing().returning({ id: reports.id }),
			notifyStaffStatement(ctx.db, staff, report.id, sender.id, now),
		]);
		if (inserted.length > 0) created.push(report);
		else await ctx.db.run(sql`delete from notifications where subject_id = ${report.id}`);
	}
	return created;
}

export interface ReportFilter {
	resolved?: boolean;
	accountId?: string;
	targetAccountId?: string;
	maxId?: string;
	limit: number;
}

export async function listReports(db: Db, filter: ReportFilter): Promise<Report[]> {
	return db
		.select()
		.from(reports)
		.where(
			and(
				filter.resolved === undefined
					? undefined
					: filter.resolved
						? isNotNull(reports.actionTakenAt)
						: isNull(reports.actionTakenAt),
				filter.accountId ? eq(reports.accountId, filter.accountId) : undefined,
				filter.targetAccountId ? eq(reports.targetAccountId, filter.targetAccountId) : undefined,
				filter.maxId ? lt(reports.id, filter.maxId) : undefined,
			),
		)
		.orderBy(desc(reports.id))
		.limit(filter.limit);
}

export async function findReport(db: Db, id: string): Promise<Report | undefined> {
	const [row] = await db.select().from(reports).where(eq(reports.id, id)).limit(1);
	return row;
}

export async function reportNotesOf(db: Db, reportId: string): Promise<ReportNote[]> {
	return db.select().from(reportNotes).where(eq(reportNotes.reportId, reportId)).orderBy(asc(reportNotes.id));
}

const NOTE_MAX = 5000;

function noteStatement(db: Db, moderator: Moderator, reportId: string, content: string, at: Date) {
	return db
		.insert(reportNotes)
		.values({ id: newId(at), reportId, accountId: moderator.accountId, content, createdAt: at });
}

function checkedNote(note: string | undefined): string {
	const text = note?.trim() ?? "";
	if (text.length > NOTE_MAX) throw new ValidationError("note", `Note is too long (maximum is ${NOTE_MAX} characters)`);
	return text;
}

type ReportChange = "resolve" | "reopen" | "assigned_to_self" | "unassigned";

async function changeReport(
	ctx: ModerationContext,
	moderator: Moderator,
	report: Report,
	change: ReportChange,
	set: Partial<Report>,
	note = "",
): Promise<Report> {
	const now = new Date();
	const text = checkedNote(note);
	const updated = { ...report, ...set, updatedAt: now };
	await ctx.db.batch([
		ctx.db
			.update(reports)
			.set({ ...set, updatedAt: now })
			.where(eq(reports.id, report.id)),
		logActionStatement(
			ctx.db,
			moderator,
			{ action: change, targetType: "Report", targetId: report.id, humanIdentifier: `#${report.id}`, note: text },
			now,
		),
		...(text ? [noteStatement(ctx.db, moderator, report.id, text, now)] : []),
	]);
	return updated;
}

/** Marks a report handled (with an optional note); resolving twice is harmless. */
export async function resolveReport(ctx: ModerationContext, moderator: Moderator, report: Report, note = "") {
	if (report.actionTakenAt) return report;
	return changeReport(
		ctx,
		moderator,
		report,
		"resolve",
		{
			actionTakenAt: new Date(),
			actionTakenByAccountId: moderator.accountId,
		},
		note,
	);
}

export async function reopenReport(ctx: ModerationContext, moderator: Moderator, report: Report, note = "") {
	if (!report.actionTakenAt) return report;
	return changeReport(ctx, moderator, report, "reopen", { actionTakenAt: null, actionTakenByAccountId: null }, note);
}

export async function assignReport(ctx: ModerationContext, moderator: Moderator, report: Report) {
	if (!moderator.accountId) throw new UnprocessableError("Only a moderator's account can be assigned a report");
	if (report.assignedAccountId === moderator.accountId) return report;
	return changeReport(ctx, moderator, report, "assigned_to_self", { assignedAccountId: moderator.accountId });
}

export async function unassignReport(ctx: ModerationContext, moderator: Moderator, report: Report) {
	if (report.assignedAccountId === null) return report;
	return changeReport(ctx, moderator, report, "unassigned", { assignedAccountId: null });
}

export async function addReportNote(ctx: ModerationContext, moderator: Moderator, report: Report, note: string) {
	const text = checkedNote(note);
	if (!text) throw new ValidationError("note", "Note can't be blank");
	const now = new Date();
	await ctx.db.batch([
		noteStatement(ctx.db, moderator, report.id, text, now),
		ctx.db.update(reports).set({ updatedAt: now }).where(eq(reports.id, report.id)),
	]);
}

/** Mastodon's `PUT /api/v1/admin/reports/:id`: a moderator re-files the report's category and rules. */
export async function recategorizeReport(
	ctx: ModerationContext,
	moderator: Moderator,
	report: Report,
	input: { category?: string; ruleIds?: string[] },
): Promise<Report> {
	const ruleIds = input.ruleIds ?? (input.category && input.category !== "violation" ? [] : report.ruleIds);
	const category = input.category === undefined ? report.category : checkCategory(input.category, ruleIds);
	const rules = await checkRules(ctx.db, ruleIds, category);
	const now = new Date();
	await ctx.db.batch([
		ctx.db.update(reports).set({ category, ruleIds: rules, updatedAt: now }).where(eq(reports.id, report.id)),
		logActionStatement(ctx.db, moderator, {
			action: "update",
			targetType: "Report",
			targetId: report.id,
			humanIdentifier: `#${report.id}`,
			note: `category ${category}${rules.length ? `, rules ${rules.join(", ")}` : ""}`,
		}),
	]);
	return { ...report, category, ruleIds: rules, updatedAt: now };
}

/** How many reports are waiting for a moderator. */
export async function openReportCount(db: Db): Promise<number> {
	const [row] = await db.select({ n: sql<number>`count(*)` }).from(reports).where(isNull(reports.actionTakenAt));
	return Number(row?.n ?? 0);
}
