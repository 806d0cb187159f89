import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import type { NotificationType } from "../../db/schema";
import { USER_ROLES } from "../../db/schema";
import { newId } from "../../lib/ids";
import { type Permission, ROLES, roleCan } from "../accounts/roles";

/** Local staff accounts holding a permission, able to act (not disabled or suspended). */
export async function staffAccountIds(db: Db, permission: Permission): Promise<string[]> {
	const roles = USER_ROLES.filter((role) => role !== "user" && roleCan(role, permission) && ROLES[role]);
	const rows = await db.all<{ id: string }>(sql`select u.account_id as id from users u
		join accounts a on a.id = u.account_id
		where u.role in (select value from json_each(${JSON.stringify(roles)}))
		and u.disabled = 0 and a.suspended_at is null`);
	return rows.map((row) => row.id);
}

/**
 * One notification per staff account (an `admin.report` or `admin.sign_up`),
 * pointing at what it is about; the account it is from is left out.
 */
export function staffNotificationStatement(
	db: Db,
	recipients: string[],
	input: { type: NotificationType; fromAccountId: string; subjectId: string; at: Date },
) {
	const rows = recipients
		.filter((id) => id !== input.fromAccountId)
		.map((accountId) => ({ id: newId(input.at), accountId }));
	return sqlRun(
		db,
		sql`insert into notifications (id, account_id, from_account_id, type, status_id, subject_id, group_key, created_at)
		select json_extract(value, '$.id'), json_extract(value, '$.accountId'), ${input.fromAccountId}, ${input.type},
			null, ${input.subjectId}, 'ungrouped-' || json_extract(value, '$.id'), ${input.at.getTime()}
		from json_each(${JSON.stringify(rows)})`,
	);
}
