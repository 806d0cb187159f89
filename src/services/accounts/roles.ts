import type { UserRole } from "../../db/schema";

/** Mastodon's role permission bits (UserRole::FLAGS). */
const PERMISSION = {
	administrator: 1 << 0,
	viewAuditLog: 1 << 2,
	viewDashboard: 1 << 3,
	manageReports: 1 << 4,
	manageTaxonomies: 1 << 8,
	manageUsers: 1 << 10,
	inviteUsers: 1 << 16,
} as const;

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
