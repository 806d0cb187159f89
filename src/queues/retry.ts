/**
 * Thrown by a message handler that wants its message retried after a delay of
 * its choosing. `quiet` is for a handler that planned it (a delivery that goes
 * on with its next inboxes), which is not worth a warning in the log.
 */
export class RetryLater extends Error {
	override name = "RetryLater";
	constructor(
		readonly delaySeconds: number,
		message: string,
		readonly options: { quiet?: boolean } = {},
	) {
		super(message);
	}
}
