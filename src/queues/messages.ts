/**
 * Every queue message body. Bodies carry ids, never secrets or whole
 * documents that could go stale; the consumer reads the rest from D1.
 */
export type JobMessage = { type: "account.generate_keys"; accountId: string };

export type QueueMessage = JobMessage;

export const QUEUE_NAMES = {
	delivery: "tern-delivery",
	inbox: "tern-inbox",
	jobs: "tern-jobs",
} as const;

export function isDeadLetterQueue(name: string): boolean {
	return name.endsWith("-dlq");
}
