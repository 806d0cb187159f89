import type { MastodonAccount, MastodonRole, MastodonStatus } from "./entities";
import type { MastodonRule } from "./instance-entities";

// Mastodon's moderation entities: what members see (Report, AccountWarning,
// RelationshipSeveranceEvent, DomainBlock) and the admin API's (Admin::*).

export interface MastodonReport {
	id: string;
	action_taken: boolean;
	action_taken_at: string | null;
	category: string;
	comment: string;
	forwarded: boolean;
	created_at: string;
	status_ids: string[] | null;
	rule_ids: string[] | null;
	target_account: MastodonAccount;
}

export interface MastodonAccountWarning {
	id: string;
	action: string;
	text: string;
	status_ids: string[] | null;
	target_account: MastodonAccount;
	appeal: null;
	created_at: string;
}

export interface MastodonRelationshipSeveranceEvent {
	id: string;
	type: string;
	purged: boolean;
	target_name: string;
	followers_count: number;
	following_count: number;
	created_at: string;
}

/** `/api/v1/instance/domain_blocks`. */
export interface MastodonDomainBlock {
	domain: string;
	digest: string;
	severity: "silence" | "suspend";
	comment?: string | null;
}

export interface MastodonAdminIp {
	ip: string;
	used_at: string;
}

export interface MastodonAdminAccount {
	id: string;
	username: string;
	domain: string | null;
	created_at: string;
	/** Null for remote accounts, as Mastodon answers (its documentation calls it a string). */
	email: string | null;
	ip: string | null;
	ips: MastodonAdminIp[];
	/** Null for remote accounts, as above. */
	locale: string | null;
	invite_request: string | null;
	role: MastodonRole;
	confirmed: boolean;
	approved: boolean;
	disabled: boolean;
	silenced: boolean;
	suspended: boolean;
	sensitized: boolean;
	account: MastodonAccount;
	created_by_application_id?: string | null;
	invited_by_account_id?: string | null;
}

export interface MastodonAdminReport {
	id: string;
	action_taken: boolean;
	action_taken_at: string | null;
	category: string;
	comment: string;
	forwarded: boolean;
	created_at: string;
	updated_at: string;
	account: MastodonAdminAccount;
	target_account: MastodonAdminAccount;
	assigned_account: MastodonAdminAccount | null;
	action_taken_by_account: MastodonAdminAccount | null;
	statuses: MastodonStatus[];
	rules: MastodonRule[];
}

export interface MastodonAdminDomainBlock {
	id: string;
	domain: string;
	digest: string;
	created_at: string;
	severity: "silence" | "suspend" | "noop";
	reject_media: boolean;
	reject_reports: boolean;
	private_comment: string | null;
	public_comment: string | null;
	obfuscate: boolean;
}

export interface MastodonAdminDomainAllow {
	id: string;
	domain: string;
	created_at: string;
}

export interface MastodonAdminEmailDomainBlock {
	id: string;
	domain: string;
	created_at: string;
	allow_with_approval: boolean;
	history: { day: string; accounts: string; uses: string }[];
}
