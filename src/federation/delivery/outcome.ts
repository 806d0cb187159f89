/** What to do with a delivery after one attempt. */
export type DeliveryOutcome = "delivered" | "permanent_failure" | "retry";

/**
 * 2xx: done. 429 and 5xx: the peer may recover, try again later. Any other
 * status (400, 401, 403, 404, 410…) will not change on a retry: drop it.
 * Redirects are followed by the fetch module; one left over is a failure.
 */
export function outcomeOfStatus(status: number): DeliveryOutcome {
	if (status >= 200 && status < 300) return "delivered";
	if (status === 429 || status === 408 || status >= 500) return "retry";
	return "permanent_failure";
}

/** Errors before any answer: timeouts and network errors are retried, refused addresses never are. */
export function outcomeOfError(code: string | undefined): DeliveryOutcome {
	if (code === "refused" || code === "too_many_redirects") return "permanent_failure";
	// The answer came but was too large to read: the peer got the activity.
	if (code === "too_large") return "delivered";
	return "retry";
}
