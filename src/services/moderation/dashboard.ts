import { desc, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { domainDeliveryStatus } from "../../db/schema";
import { lowestIdAt } from "../../lib/ids";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export interface DashboardCounts {
	members: number;
	activeThisWeek: number;
	postsToday: number;
	openReports: number;
	pendingSignUps: number;
	/** Hosts whose deliveries are failing now, and the failed attempts counted against them. */
	failingDomains: number;
	failedAttempts: number;
	deadLetters: number;
	/** Messages waiting in D1 to be sent to a queue (replays asked for from the CLI). */
	heldMessages: number;
}

export interface UnavailableDomain {
	domain: string;
	failingSince: Date | null;
	failureCount: number;
	unavailableSince: Date | null;
	lastError: string | null;
}

/**
 * What an admin opening the console needs to know, in one statement: members
 * (active this week: signed in or posted), posts today (UTC), reports and
 * sign-ups waiting, delivery failures and dead letters.
 */
export async function dashboardCounts(db: Db, now = new Date()): Promise<DashboardCounts> {
	const weekAgo = now.getTime() - WEEK_MS;
	const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
	const [row] = await db.all<Record<keyof DashboardCounts, number>>(sql`select
		(select count(*) from users where approved = 1 and rejected_at is null) as members,
		(select count(*) from users u where u.approved = 1 and (u.last_sign_in_at >= ${weekAgo}
			or exists (select 1 from statuses s where s.account_id = u.account_id and s.id >= ${lowestIdAt(weekAgo)})))
			as activeThisWeek,
		(select count(*) from statuses where local = 1 and deleted_at is null and id >= ${lowestIdAt(midnight)}) as postsToday,
		(select count(*) from reports where action_taken_at is null) as openReports,
		(select count(*) from users where approved = 0 and rejected_at is null) as pendingSignUps,
		(select count(*) from domain_delivery_status where failing_since is not null) as failingDomains,
		(select coalesce(sum(failure_count), 0) from domain_delivery_status) as failedAttempts,
		(select count(*) from dead_letters where replay_requested_at is null) as deadLetters,
		(select count(*) from dead_letters where replay_requested_at is not null) as heldMessages`);
	return {
		members: Number(row?.members ?? 0),
		activeThisWeek: Number(row?.activeThisWeek ?? 0),
		postsToday: Number(row?.postsToday ?? 0),
		openReports: Number(row?.openReports ?? 0),
		pendingSignUps: Number(row?.pendingSignUps ?? 0),
		failingDomains: Number(row?.failingDomains ?? 0),
		failedAttempts: Number(row?.failedAttempts ?? 0),
		deadLetters: Number(row?.deadLetters ?? 0),
		heldMessages: Number(row?.heldMessages ?? 0),
	};
}

/** Hosts deliveries are failing to, worst first, with the last error each met. */
export async function failingDomains(db: Db, limit = 20): Promise<UnavailableDomain[]> {
	const rows = await db
		.select()
		.from(domainDeliveryStatus)
		.where(isNotNull(domainDeliveryStatus.failingSince))
		.orderBy(desc(domainDeliveryStatus.unavailableSince), desc(domainDeliveryStatus.failureCount))
		.limit(limit);
	return rows.map((row) => ({
		domain: row.domain,
		failingSince: row.failingSince,
		failureCount: row.failureCount,
		unavailableSince: row.unavailableSince,
		lastError: row.lastError,
	}));
}

/**
 * The database's size in bytes as D1 reports it with every statement's
 * result (`meta.size_after`); null where the binding does not say.
 */
export async function databaseSize(db: Db): Promise<number | null> {
	const result = (await db.run(sql`select 1`)) as unknown as { meta?: { size_after?: number } };
	const size = result.meta?.size_after;
	return typeof size === "number" && size > 0 ? size : null;
}
