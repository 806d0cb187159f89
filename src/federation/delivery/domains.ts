import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { domainDeliveryStatus } from "../../db/schema";

/** A host failing every delivery for this long is skipped until it is heard from again (Mastodon uses a week). */
export const UNAVAILABLE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

export function hostOfUrl(url: string): string | null {
	try {
		return new URL(url).host.toLowerCase();
	} catch {
		return null;
	}
}

/** Whether deliveries to this host are currently skipped. */
export async function isDomainUnavailable(db: Db, domain: string): Promise<boolean> {
	const rows = await db
		.select({ since: domainDeliveryStatus.unavailableSince })
		.from(domainDeliveryStatus)
		.where(eq(domainDeliveryStatus.domain, domain))
		.limit(1);
	return rows[0]?.since != null;
}

/** Counts a failed delivery; the host becomes unavailable once its failures span UNAVAILABLE_AFTER_MS. */
export function deliveryFailureStatement(db: Db, domain: string, now = new Date(), error = "") {
	const at = now.getTime();
	const lastError = error.slice(0, 500) || null;
	return sqlRun(
		db,
		sql`insert into domain_delivery_status (domain, failing_since, failure_count, unavailable_since, last_error, updated_at)
		values (${domain}, ${at}, 1, null, ${lastError}, ${at})
		on conflict (domain) do update set
			failing_since = coalesce(failing_since, ${at}),
			failure_count = failure_count + 1,
			last_error = ${lastError},
			unavailable_since = coalesce(unavailable_since,
				case when coalesce(failing_since, ${at}) <= ${at - UNAVAILABLE_AFTER_MS} then ${at} end),
			updated_at = ${at}`,
	);
}

export async function recordDeliveryFailure(db: Db, domain: string, now = new Date(), error = ""): Promise<void> {
	await deliveryFailureStatement(db, domain, now, error);
}

/** The host answered (a delivery succeeded, or it sent us an activity): forget its failures. */
export function markDomainAvailable(db: Db, domain: string) {
	return db.delete(domainDeliveryStatus).where(eq(domainDeliveryStatus.domain, domain));
}

/** markDomainAvailable for several hosts in one statement (a seek that finds nothing reads and writes no row). */
export function markDomainsAvailable(db: Db, domains: string[]) {
	return sqlRun(
		db,
		sql`delete from domain_delivery_status where domain in (select value from json_each(${JSON.stringify(domains)}))`,
	);
}
