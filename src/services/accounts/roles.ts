import type { UserRole } from "../../db/schema";

/** Mastodon's role permission bits (UserRole::FLAGS). */
export const PERMISSION = {
	administrator: 1 << 0,
	viewAuditLog: 1 << 2,
	viewDashboard: 1 << 3,
	manageReports: 1 << 4,
	manageFederation: 1 << 5,
	manageSettings: 1 << 6,
	manageBlocks: 1 << 7,
	manageTaxonomies: 1 << 8,
	manageUsers: 1 << 10,
	manageRules: 1 << 12,
	manageAnnouncements: 1 << 13,
	manageCustomEmojis: 1 << 14,
	inviteUsers: 1 << 16,
} as const;

export type Permission = keyof typeof PERMISSION;

export interface RoleInfo {
	id: string;
	name: string;
	permissions: number;
	highlighted: boolean;
}

/** Tern's fixed roles, numbered as Mastodon's defaults so clients show the usual badges. */
export const ROLES: Record<UserRole, RoleInfo> = {
	user: { id: "-99", name: "", permissions: PERMISSION.inviteUsers, highlighted: false },
	moderator: {
		id: "1",
		name: "Moderator",
		permissions:
			PERMISSION.inviteUsers |
			PERMISSION.viewDashboard |
			PERMISSION.viewAuditLog |
			PERMISSION.manageReports |
			PERMISSION.manageTaxonomies |
			PERMISSION.manageUsers,
		highlighted: true,
	},
	// Mastodon's Admin has every bit; `administrator` alone already implies all of them.
	admin: { id: "2", name: "Admin", permissions: (1 << 20) - 1, highlighted: true },
};

/**
 * Whether a role holds a permission, as Mastodon's UserRole#can?: the
 * administrator bit holds every one. Moderators hold what Mastodon's default
 * Moderator role holds (reports, users, dashboard, audit log); domain and
 * email blocks, settings, rules, announcements and emojis are the admin's.
 */
export function roleCan(role: UserRole, permission: Permission): boolean {
	const bits = ROLES[role].permissions;
	return (bits & PERMISSION.administrator) !== 0 || (bits & PERMISSION[permission]) !== 0;
}
