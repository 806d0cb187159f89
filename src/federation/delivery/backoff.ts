import { MAX_RETRY_DELAY_SECONDS } from "../../queues/backoff";

/**
 * Delay before the next delivery attempt, shaped like Mastodon's (Sidekiq's
 * polynomial backoff: attempts⁴ + 15 s plus jitter growing with the attempt):
 * seconds at first, ~10 minutes by the 5th try, hours after the 10th. Queues
 * cap a delay at 12 hours; with max_retries = 16 a dead host is tried for
 * about two days before the message goes to the dead-letter queue.
 */
export function deliveryRetryDelaySeconds(attempts: number, random: () => number = Math.random): number {
	const n = Math.max(1, attempts);
	const delay = n ** 4 + 15 + Math.floor(random() * 10 * (n + 1));
	return Math.min(MAX_RETRY_DELAY_SECONDS, delay);
}
