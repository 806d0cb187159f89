import type { InstanceConfig } from "../../config";
import type { Account, User } from "../../db/schema";
import { escapeHtml } from "../../lib/text/html";
import { ROLES } from "../../services/accounts/roles";
import type { MastodonAccount, MastodonCredentialAccount, MastodonRole } from "./entities";

export const MISSING_AVATAR_PATH = "/avatars/original/missing.png";
export const MISSING_HEADER_PATH = "/headers/original/missing.png";

/** Mastodon reports account creation at midnight UTC of its day, to avoid leaking exact sign-up times. */
function midnight(date: Date): string {
	return `${date.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

/** `moved`: the account this one moved to, when the caller loaded it (profiles, lookups, credentials). */
export function serializeAccount(
	account: Account,
	config: InstanceConfig,
	extras: { moved?: Account | null } = {},
): MastodonAccount {
	if (account.suspendedAt) return suspendedAccount(account, config);
	const avatar = account.avatarUrl ?? `${config.origin}${MISSING_AVATAR_PATH}`;
	const header = account.headerUrl ?? `${config.origin}${MISSING_HEADER_PATH}`;
	return {
		id: account.id,
		username: account.username,
		acct: account.domain ? `${account.username}@${account.domain}` : account.username,
		url: account.url,
		uri: account.uri,
		display_name: account.displayName,
		note: account.noteHtml,
		avatar,
		avatar_static: avatar,
		avatar_description: account.avatarDescription,
		header,
		header_static: header,
		header_description: account.headerDescription,
		locked: account.locked,
		// Local values are kept as typed (source.fields shows them); remote ones arrive as sanitized HTML.
		fields: account.fields.map((field) => ({
			name: field.name,
			value: account.domain ? field.value : escapeHtml(field.value),
			verified_at: field.verifiedAt,
		})),
		emojis: [],
		bot: account.bot,
		group: account.group,
		discoverable: account.discoverable,
		indexable: account.indexable,
		hide_collections: account.hideCollections,
		noindex: account.domain ? null : account.noindex,
		...(account.memorial ? { memorial: true } : {}),
		// Limited (silenced) accounts: apps show them behind a warning, as Mastodon's web does.
		...(account.silencedAt ? { limited: true } : {}),
		...(extras.moved ? { moved: serializeAccount(extras.moved, config) } : {}),
		roles: [],
		created_at: midnight(account.createdAt),
		last_status_at: account.lastStatusAt ? account.lastStatusAt.toISOString().slice(0, 10) : null,
		statuses_count: account.statusesCount,
		followers_count: account.followersCount,
		following_count: account.followingCount,
	};
}

/**
 * A suspended account as Mastodon shows it: its handle and `suspended`,
 * nothing it wrote (name, bio, fields, pictures) and no counts.
 */
function suspendedAccount(account: Account, config: InstanceConfig): MastodonAccount {
	const avatar = `${config.origin}${MISSING_AVATAR_PATH}`;
	const header = `${config.origin}${MISSING_HEADER_PATH}`;
	return {
		id: account.id,
		username: account.username,
		acct: account.domain ? `${account.username}@${account.domain}` : account.username,
		url: account.url,
		uri: account.uri,
		display_name: "",
		note: "",
		avatar,
		avatar_static: avatar,
		avatar_description: "",
		header,
		header_static: header,
		header_description: "",
		locked: false,
		fields: [],
		emojis: [],
		bot: false,
		group: false,
		discoverable: false,
		indexable: false,
		hide_collections: true,
		noindex: account.domain ? null : true,
		suspended: true,
		roles: [],
		created_at: midnight(account.createdAt),
		last_status_at: null,
		statuses_count: 0,
		followers_count: 0,
		following_count: 0,
	};
}

export function serializeRole(user: User): MastodonRole {
	const role = ROLES[user.role];
	return {
		id: role.id,
		name: role.name,
		color: "",
		permissions: String(role.permissions),
		highlighted: role.highlighted,
	};
}

export interface CredentialExtras {
	followRequestsCount: number;
}

/** The signed-in user's own account, with the editable source values and their role. */
export function serializeCredentialAccount(
	account: Account,
	user: User,
	config: InstanceConfig,
	extras: CredentialExtras,
): MastodonCredentialAccount {
	const base = serializeAccount(account, config);
	const role = serializeRole(user);
	return {
		...base,
		roles: role.highlighted ? [{ id: role.id, name: role.name, color: role.color }] : [],
		source: {
			note: account.note,
			fields: account.fields.map((field) => ({ name: field.name, value: field.value, verified_at: field.verifiedAt })),
			privacy: user.defaultPrivacy,
			sensitive: user.defaultSensitive,
			language: user.defaultLanguage,
			follow_requests_count: extras.followRequestsCount,
			hide_collections: account.hideCollections,
			discoverable: account.discoverable,
			indexable: account.indexable,
			attribution_domains: [],
		},
		role,
	};
}
