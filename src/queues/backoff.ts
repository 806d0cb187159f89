/** Cloudflare Queues accept at most 12 hours of delay per retry. */
export const MAX_RETRY_DELAY_SECONDS = 12 * 60 * 60;

/**
 * Exponential backoff with jitter: `baseSeconds` after the first failure,
 * doubling each time, capped at 12 hours. Jitter spreads retries of a batch
 * that failed together (one peer down) so they do not return as one burst.
 */
export function retryDelaySeconds(attempts: number, baseSeconds = 30): number {
	const exponent = Math.max(0, attempts - 1);
	const delay = Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** exponent);
	const jitter = delay * 0.2 * Math.random();
	return Math.min(MAX_RETRY_DELAY_SECONDS, Math.round(delay + jitter));
}
