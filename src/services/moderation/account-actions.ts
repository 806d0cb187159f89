import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { sqlRun } from "../../db/queries/raw";
import {
	type Account,
	type AccountWarningAction,
	accounts,
	reportNotes,
	reports,
	type User,
	users,
	webSessions,
} from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { NotPermittedError, UnprocessableError, ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { createPasswordResetLink, type ResetLink } from "../auth/password-reset";
import { handleOf, type LoggedAction, logActionStatement, type Moderator } from "./audit-log";
import type { ModerationContext } from "./context";
import { severRelationships } from "./severance";

/** Mastodon's Admin::AccountAction types; `none` is a warning on its own. */
export const ACCOUNT_ACTION_TYPES = ["none", "disable", "sensitive", "silence", "suspend"] as const;
export type AccountActionType = (typeof ACCOUNT_ACTION_TYPES)[number];

export const UNDO_ACTIONS = ["enable", "unsensitive", "unsilence", "unsuspend"] as const;
export type UndoAction = (typeof UNDO_ACTIONS)[number];

export interface AccountActionInput {
	type: AccountActionType;
	/** The message the member sees with the warning, and the audit log's "why". */
	text?: string;
	/** The report this action answers: it is resolved with the action. */
	reportId?: string;
	/** Tell a local member through a moderation_warning notification (default true). */
	notify?: boolean;
	/** Why, for moderators only: the audit log and the report's notes keep it (the text otherwise). */
	note?: string;
}

const TEXT_MAX = 5000;

/** A local account's user row; remote accounts have none. */
export async function userOf(ctx: ModerationContext, account: Account): Promise<User | undefined> {
	if (account.domain !== null) return undefined;
	const [user] = await ctx.db.select().from(users).where(eq(users.accountId, account.id)).limit(1);
	return user;
}

function checkType(target: Account, user: User | undefined, type: AccountActionType): void {
	if (!(ACCOUNT_ACTION_TYPES as readonly string[]).includes(type)) {
		throw new ValidationError("type", `Type must be one of ${ACCOUNT_ACTION_TYPES.join(", ")}`);
	}
	// As Mastodon: a remote account can be limited here but not warned or have a login to disable.
	if (target.domain !== null && (type === "none" || type === "disable")) {
		throw new UnprocessableError(`A remote account cannot be given the ${type} action`);
	}
	if (type === "disable" && !user) throw new UnprocessableError("This account has no login to disable");
	if (type === "suspend" && target.suspendedAt) throw new UnprocessableError("The account is already suspended");
	if (type === "silence" && (target.silencedAt || target.suspendedAt)) {
		throw new UnprocessableError("The account is already limited");
	}
}

/** Staff cannot be acted on through moderation: an admin changes roles first. */
function checkTargetIsNotStaff(user: User | undefined): void {
	if (user && user.role !== "user")
		throw new NotPermittedError("Moderators and admins cannot be moderated; change their role first");
}

/**
 * Takes an action on an account, as Mastodon's Admin::AccountAction: the
 * change, a warning (strike) recording it with its text, the audit log entry,
 * the reports it answers resolved (the given one for a warning; every open
 * report about the account for the others), and the member told through a
 * notification. A local suspension is announced to other servers with an
 * Update of the actor; a remote one severs its follows with local members
 * (its server gets a Reject for each follow of ours it had).
 */
export async function performAccountAction(
	ctx: ModerationContext,
	moderator: Moderator,
	target: Account,
	input: AccountActionInput,
): Promise<void> {
	const { db } = ctx;
	const user = await userOf(ctx, target);
	checkType(target, user, input.type);
	checkTargetIsNotStaff(user);
	const text = input.text?.trim() ?? "";
	if (text.length > TEXT_MAX) throw new ValidationError("text", `Text is too long (maximum is ${TEXT_MAX} characters)`);
	let reportStatusIds: string[] = [];
	if (input.reportId) {
		const [report] = await db.select().from(reports).where(eq(reports.id, input.reportId)).limit(1);
		if (!report || report.targetAccountId !== target.id) {
			throw new ValidationError("report_id", "The report does not exist or is about another account");
		}
		reportStatusIds = report.statusIds;
	}
	const now = new Date();
	const at = now.getTime();
	const handle = handleOf(target);
	const why = input.note?.trim() || text;
	if (why.length > TEXT_MAX) throw new ValidationError("note", `Note is too long (maximum is ${TEXT_MAX} characters)`);
	const log = (entry: Omit<LoggedAction, "humanIdentifier" | "note"> & { note?: string }) =>
		logActionStatement(db, moderator, { humanIdentifier: handle, note: why, ...entry }, now);
	const statements = [];
	switch (input.type) {
		case "disable":
			statements.push(
				db.update(users).set({ disabled: true }).where(eq(users.accountId, target.id)),
				log({ action: "disable", targetType: "User", targetId: user?.id ?? null }),
			);
			break;
		case "sensitive":
			statements.push(
				db.update(accounts).set({ sensitizedAt: now }).where(eq(accounts.id, target.id)),
				log({ action: "sensitive", targetType: "Account", targetId: target.id }),
			);
			break;
		case "silence":
			statements.push(
				db.update(accounts).set({ silencedAt: now }).where(eq(accounts.id, target.id)),
				log({ action: "silence", targetType: "Account", targetId: target.id }),
			);
			break;
		case "suspend":
			statements.push(
				db.update(accounts).set({ suspendedAt: now, suspensionOrigin: "local" }).where(eq(accounts.id, target.id)),
				log({ action: "suspend", targetType: "Account", targetId: target.id }),
			);
			break;
		case "none":
			break;
	}
	const warningId = newId(now);
	const warningAction: AccountWarningAction = input.type;
	statements.push(
		sqlRun(
			db,
			sql`insert into account_warnings (id, account_id, target_account_id, action, text, report_id, status_ids, created_at)
			values (${warningId}, ${moderator.accountId}, ${target.id}, ${warningAction}, ${text}, ${input.reportId ?? null},
				${JSON.stringify(input.reportId ? reportStatusIds : [])}, ${at})`,
		),
	);
	// A bare warning is worth a log line only when it says something (as Mastodon logs it).
	if (input.type === "none" && text)
		statements.push(log({ action: "create", targetType: "AccountWarning", targetId: warningId }));
	// Which reports this answers: for a warning only the one given; otherwise all open ones about the account.
	const open = await db
		.select({ id: reports.id })
		.from(reports)
		.where(
			and(
				eq(reports.targetAccountId, target.id),
				isNull(reports.actionTakenAt),
				input.type === "none" ? eq(reports.id, input.reportId ?? "") : undefined,
			),
		);
	if (open.length > 0) {
		statements.push(
			db
				.update(reports)
				.set({ actionTakenAt: now, actionTakenByAccountId: moderator.accountId, updatedAt: now })
				.where(
					inArray(
						reports.id,
						open.map((r) => r.id),
					),
				),
			...open.map((report) =>
				logActionStatement(
					db,
					moderator,
					{
						action: "resolve",
						targetType: "Report",
						targetId: report.id,
						humanIdentifier: `#${report.id} (${handle})`,
						note: why,
					},
					now,
				),
			),
		);
		if (input.reportId && input.note?.trim()) {
			statements.push(
				db.insert(reportNotes).values({
					id: newId(now),
					reportId: input.reportId,
					accountId: moderator.accountId,
					content: input.note.trim(),
					createdAt: now,
				}),
			);
		}
	}
	const notify =
		(input.notify ?? true) && target.domain === null && (input.type !== "none" || text !== "" || !!input.reportId);
	if (notify) {
		const notificationId = newId(now);
		statements.push(
			sqlRun(
				db,
				sql`insert into notifications (id, account_id, from_account_id, type, status_id, subject_id, group_key, created_at)
				values (${notificationId}, ${target.id}, ${target.id}, 'moderation_warning', null, ${warningId},
					${`ungrouped-${notificationId}`}, ${at})`,
			),
		);
	}
	if (input.type === "suspend" && target.domain === null) {
		// Followers' servers learn of it from the actor document, which now says `suspended`.
		statements.push(publishOutboxEvent(db, { type: "account.updated", accountId: target.id }));
	}
	const [first, ...rest] = statements;
	if (first) await db.batch([first, ...rest]);
	if (input.type === "suspend" && target.domain !== null) await severSuspendedRemote(ctx, target);
}

async function severSuspendedRemote(ctx: ModerationContext, target: Account): Promise<void> {
	await severRelationships(ctx.db, {
		type: "account_suspension",
		targetName: handleOf(target),
		remoteWhere: sql`r.id = ${target.id}`,
		// Its follows of our members end: its server is told, so it stops expecting our posts.
		alsoWrite: (severed) =>
			severed.follows
				.filter((follow) => !follow.localFollows)
				.map((follow) =>
					publishOutboxEvent(ctx.db, {
						type: "follow.rejected",
						accountId: follow.accountId,
						targetAccountId: follow.targetAccountId,
						uri: follow.uri,
					}),
				),
	});
}

/** Undoes one kind of action; undoing what is not in effect changes nothing and is not an error. */
export async function undoAccountAction(
	ctx: ModerationContext,
	moderator: Moderator,
	target: Account,
	undo: UndoAction,
	note = "",
): Promise<void> {
	const { db } = ctx;
	const user = await userOf(ctx, target);
	const now = new Date();
	const handle = handleOf(target);
	const log = (targetType: string, targetId: string | null) =>
		logActionStatement(db, moderator, { action: undo, targetType, targetId, humanIdentifier: handle, note }, now);
	switch (undo) {
		case "enable":
			if (!user) throw new UnprocessableError("This account has no login to enable");
			if (!user.disabled) return;
			await db.batch([db.update(users).set({ disabled: false }).where(eq(users.id, user.id)), log("User", user.id)]);
			return;
		case "unsensitive":
			if (!target.sensitizedAt) return;
			await db.batch([
				db.update(accounts).set({ sensitizedAt: null }).where(eq(accounts.id, target.id)),
				log("Account", target.id),
			]);
			return;
		case "unsilence":
			if (!target.silencedAt) return;
			await db.batch([
				db.update(accounts).set({ silencedAt: null }).where(eq(accounts.id, target.id)),
				log("Account", target.id),
			]);
			return;
		case "unsuspend":
			if (!target.suspendedAt) return;
			if (target.suspensionOrigin === "remote") {
				throw new UnprocessableError("The account was suspended by its own server, not here");
			}
			await db.batch([
				// A remote profile is refetched when next needed; severed follows stay severed, as on Mastodon.
				db
					.update(accounts)
					.set({ suspendedAt: null, suspensionOrigin: null, ...(target.domain ? { fetchedAt: null } : {}) })
					.where(eq(accounts.id, target.id)),
				log("Account", target.id),
				...(target.domain === null ? [publishOutboxEvent(db, { type: "account.updated", accountId: target.id })] : []),
			]);
			return;
	}
}

/** Whether a local account is waiting for approval (not yet approved, not rejected). */
export function isPending(user: User): boolean {
	return !user.approved && user.rejectedAt === null;
}

export async function approveSignUp(ctx: ModerationContext, moderator: Moderator, target: Account): Promise<void> {
	const user = await userOf(ctx, target);
	if (!user || !isPending(user)) throw new UnprocessableError("This account is not waiting for approval");
	await ctx.db.batch([
		ctx.db.update(users).set({ approved: true }).where(eq(users.id, user.id)),
		logActionStatement(ctx.db, moderator, {
			action: "approve",
			targetType: "User",
			targetId: user.id,
			humanIdentifier: handleOf(target),
		}),
	]);
}

/**
 * Turns a sign-up down. Tern sends no email, so the notice is kept and shown
 * to the person when they next sign in; the name and address stay taken.
 */
export async function rejectSignUp(
	ctx: ModerationContext,
	moderator: Moderator,
	target: Account,
	notice = "",
): Promise<void> {
	const user = await userOf(ctx, target);
	if (!user || !isPending(user)) throw new UnprocessableError("This account is not waiting for approval");
	const text = notice.trim();
	if (text.length > TEXT_MAX) throw new ValidationError("text", `Text is too long (maximum is ${TEXT_MAX} characters)`);
	const now = new Date();
	await ctx.db.batch([
		ctx.db
			.update(users)
			.set({ rejectedAt: now, rejectionNotice: text || null })
			.where(eq(users.id, user.id)),
		ctx.db.delete(webSessions).where(eq(webSessions.userId, user.id)),
		logActionStatement(
			ctx.db,
			moderator,
			{ action: "reject", targetType: "User", targetId: user.id, humanIdentifier: handleOf(target), note: text },
			now,
		),
	]);
}

/**
 * Mastodon's admin password reset: the old password stops working at once
 * (the account may be in the wrong hands), the member's browser sessions end,
 * and they choose a new password through a one-time link the moderator hands
 * over. No password passes through the moderator. `staff` is the moderator's
 * user, which decides whether they may reset this member (not an admin's, for
 * a moderator).
 */
export async function resetPassword(
	ctx: ModerationContext,
	moderator: Moderator,
	staff: User,
	target: Account,
): Promise<ResetLink> {
	const user = await userOf(ctx, target);
	if (!user) throw new UnprocessableError("Only local accounts have a password");
	const link = await createPasswordResetLink(ctx.db, ctx.config.origin, { target: user, createdBy: staff });
	await ctx.db.batch([
		ctx.db.update(users).set({ passwordHash: null }).where(eq(users.id, user.id)),
		ctx.db.delete(webSessions).where(eq(webSessions.userId, user.id)),
		logActionStatement(ctx.db, moderator, {
			action: "reset_password",
			targetType: "User",
			targetId: user.id,
			humanIdentifier: handleOf(target),
		}),
	]);
	return link;
}
