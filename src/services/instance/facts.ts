import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type Account, accounts, type InstanceRule, instanceRules, users } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { lowestIdAt, newId } from "../../lib/ids";

const ACTIVE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export interface InstanceFacts {
	userCount: number;
	statusCount: number;
	domainCount: number;
	/** Local users who signed in or posted in the last 30 days. */
	activeMonth: number;
	rules: InstanceRule[];
	contactAccount: Account | undefined;
}

/** Everything the instance entities report, in one round trip. */
export async function instanceFacts(db: Db, now = new Date()): Promise<InstanceFacts> {
	const cutoff = new Date(now.getTime() - ACTIVE_WINDOW_MS);
	const [counts, rules, contact] = await db.batch([
		db
			.select({
				userCount: sql<number>`(select count(*) from users where approved = 1 and disabled = 0)`,
				statusCount: sql<number>`(select count(*) from statuses where local = 1 and deleted_at is null)`,
				domainCount: sql<number>`(select count(distinct domain) from accounts where domain is not null)`,
				activeMonth: sql<number>`(select count(*) from users u where u.last_sign_in_at >= ${cutoff.getTime()}
				or exists (select 1 from statuses s where s.account_id = u.account_id and s.id >= ${lowestIdAt(cutoff)}))`,
			})
			.from(sql`(select 1)`),
		db.select().from(instanceRules).orderBy(asc(instanceRules.position), asc(instanceRules.id)),
		db
			.select({ account: accounts })
			.from(users)
			.innerJoin(accounts, eq(accounts.id, users.accountId))
			.where(eq(users.role, "admin"))
			.orderBy(asc(users.id))
			.limit(1),
	]);
	const row = counts[0];
	return {
		userCount: Number(row?.userCount ?? 0),
		statusCount: Number(row?.statusCount ?? 0),
		domainCount: Number(row?.domainCount ?? 0),
		activeMonth: Number(row?.activeMonth ?? 0),
		rules,
		contactAccount: contact[0]?.account,
	};
}

export async function listRules(db: Db): Promise<InstanceRule[]> {
	return db.select().from(instanceRules).orderBy(asc(instanceRules.position), asc(instanceRules.id));
}

/** Domains of every remote account Tern knows: the servers it has seen. */
export async function knownPeers(db: Db): Promise<string[]> {
	const rows = await db
		.selectDistinct({ domain: accounts.domain })
		.from(accounts)
		.where(sql`${accounts.domain} is not null`)
		.orderBy(asc(accounts.domain));
	return rows.map((row) => row.domain).filter((domain): domain is string => domain !== null);
}

export async function addRule(db: Db, text: string, hint = ""): Promise<InstanceRule> {
	const trimmed = text.trim();
	if (!trimmed) throw new ValidationError("text", "Rule text can't be blank");
	if (trimmed.length > 300) throw new ValidationError("text", "Rule text is too long (maximum is 300 characters)");
	const [last] = await db
		.select({ position: sql<number>`coalesce(max(${instanceRules.position}), 0)` })
		.from(instanceRules);
	const [rule] = await db
		.insert(instanceRules)
		.values({
			id: newId(),
			text: trimmed,
			hint: hint.trim(),
			position: Number(last?.position ?? 0) + 1,
			createdAt: new Date(),
		})
		.returning();
	return rule as InstanceRule;
}

/** Deletes a rule; false when there is none with that id. Reports that cited it keep the id. */
export async function removeRule(db: Db, id: string): Promise<InstanceRule | undefined> {
	const [removed] = await db.delete(instanceRules).where(eq(instanceRules.id, id)).returning();
	return removed;
}
