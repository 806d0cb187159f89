import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { domainDeliveryStatus, outboxActivities } from "../../db/schema";
import { RetryLater } from "../../queues/retry";
import { deliveryRetryDelaySeconds } from "./backoff";
import { hostOfUrl, markDomainAvailable, recordDeliveryFailure } from "./domains";
import type { DeliverMessage } from "./messages";
import { type DeliveryOutcome, outcomeOfError, outcomeOfStatus } from "./outcome";

/** POSTs a signed activity; resolves with the status or throws an error carrying a `code`. */
export type ActivitySender = (inbox: string, body: string, signerAccountId: string) => Promise<{ status: number }>;

export type DeliveryResult = DeliveryOutcome | "skipped_unavailable" | "missing_activity";

/**
 * One delivery attempt. Returns what happened; for failures worth another
 * try it records the host's failure and throws RetryLater with Mastodon-like
 * backoff, so the consumer retries this message alone.
 */
export async function deliverActivity(
	db: Db,
	message: DeliverMessage,
	attempts: number,
	send: ActivitySender,
): Promise<DeliveryResult> {
	const domain = hostOfUrl(message.inbox);
	if (!domain) return "permanent_failure";
	const [activities, statuses] = await db.batch([
		db.select().from(outboxActivities).where(eq(outboxActivities.id, message.activityId)).limit(1),
		db.select().from(domainDeliveryStatus).where(eq(domainDeliveryStatus.domain, domain)).limit(1),
	]);
	const activity = activities[0];
	if (!activity) {
		console.warn(`Delivery of missing activity ${message.activityId} dropped`);
		return "missing_activity";
	}
	const status = statuses[0];
	if (status?.unavailableSince) return "skipped_unavailable";

	let outcome: DeliveryOutcome;
	let detail: string;
	try {
		const response = await send(message.inbox, JSON.stringify(activity.body), activity.accountId);
		outcome = outcomeOfStatus(response.status);
		detail = `HTTP ${response.status}`;
	} catch (error) {
		outcome = outcomeOfError((error as { code?: string }).code);
		detail = (error as Error).message ?? String(error);
	}

	if (outcome === "retry") {
		await recordDeliveryFailure(db, domain, new Date(), detail);
		throw new RetryLater(
			deliveryRetryDelaySeconds(attempts),
			`Delivery of ${activity.uri} to ${message.inbox} failed: ${detail}`,
		);
	}
	// The host answered: whatever it said, it is reachable again.
	if (status) await markDomainAvailable(db, domain);
	if (outcome === "permanent_failure") {
		console.warn(`Delivery of ${activity.uri} to ${message.inbox} refused for good: ${detail}`);
	}
	return outcome;
}
