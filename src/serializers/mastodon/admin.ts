import type { InstanceConfig } from "../../config";
import type { Account, DomainAllow, DomainBlock, EmailDomainBlock, Report, User } from "../../db/schema";
import { ROLES } from "../../services/accounts/roles";
import { serializeAccount, serializeRole } from "./account";
import type { MastodonRole, MastodonStatus } from "./entities";
import type { MastodonRule } from "./instance-entities";
import type {
	MastodonAdminAccount,
	MastodonAdminDomainAllow,
	MastodonAdminDomainBlock,
	MastodonAdminEmailDomainBlock,
	MastodonAdminReport,
} from "./moderation-entities";

/** The role remote accounts (and anyone without a user) have: Mastodon's "everyone" role. */
function everyoneRole(): MastodonRole {
	const role = ROLES.user;
	return { id: role.id, name: role.name, color: "", permissions: String(role.permissions), highlighted: false };
}

/**
 * Admin::Account. Tern keeps no sign-in addresses (only a hash of the
 * sign-up address), so `ip` is null and `ips` empty. Remote accounts have no
 * user: as on Mastodon their email and locale are null and their flags false.
 */
export function serializeAdminAccount(
	account: Account,
	user: User | null,
	config: InstanceConfig,
): MastodonAdminAccount {
	return {
		id: account.id,
		username: account.username,
		domain: account.domain,
		created_at: account.createdAt.toISOString(),
		email: user?.email ?? null,
		ip: null,
		ips: [],
		locale: user?.locale ?? null,
		invite_request: user?.signUpReason ?? null,
		role: user ? serializeRole(user) : everyoneRole(),
		confirmed: user ? user.confirmedAt !== null : false,
		approved: user ? user.approved : false,
		disabled: user ? user.disabled : false,
		silenced: account.silencedAt !== null,
		suspended: account.suspendedAt !== null,
		sensitized: account.sensitizedAt !== null,
		account: serializeAccount(account, config),
		created_by_application_id: null,
		invited_by_account_id: null,
	};
}

export interface AdminReportParts {
	report: Report;
	account: MastodonAdminAccount;
	targetAccount: MastodonAdminAccount;
	assignedAccount: MastodonAdminAccount | null;
	actionTakenByAccount: MastodonAdminAccount | null;
	statuses: MastodonStatus[];
	rules: MastodonRule[];
}

export function serializeAdminReport(parts: AdminReportParts): MastodonAdminReport {
	const { report } = parts;
	return {
		id: report.id,
		action_taken: report.actionTakenAt !== null,
		action_taken_at: report.actionTakenAt?.toISOString() ?? null,
		category: report.category,
		comment: report.comment,
		forwarded: report.forwarded,
		created_at: report.createdAt.toISOString(),
		updated_at: (report.updatedAt ?? report.createdAt).toISOString(),
		account: parts.account,
		target_account: parts.targetAccount,
		assigned_account: parts.assignedAccount,
		action_taken_by_account: parts.actionTakenByAccount,
		statuses: parts.statuses,
		rules: parts.rules,
	};
}

export function serializeAdminDomainBlock(block: DomainBlock, digest: string): MastodonAdminDomainBlock {
	return {
		id: block.id,
		domain: block.domain,
		digest,
		created_at: block.createdAt.toISOString(),
		severity: block.severity,
		reject_media: block.rejectMedia,
		reject_reports: block.rejectReports,
		private_comment: block.privateComment,
		public_comment: block.publicComment,
		obfuscate: block.obfuscate,
	};
}

export function serializeAdminDomainAllow(allow: DomainAllow): MastodonAdminDomainAllow {
	return { id: allow.id, domain: allow.domain, created_at: allow.createdAt.toISOString() };
}

export function serializeAdminEmailDomainBlock(
	block: EmailDomainBlock,
	history: { day: number; attempts: number }[],
): MastodonAdminEmailDomainBlock {
	return {
		id: block.id,
		domain: block.domain,
		created_at: block.createdAt.toISOString(),
		allow_with_approval: block.allowWithApproval,
		history: history.map((h) => ({ day: String(h.day), accounts: String(h.attempts), uses: String(h.attempts) })),
	};
}
