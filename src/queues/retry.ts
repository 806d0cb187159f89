/** Thrown by a message handler that wants its message retried after a delay of its choosing. */
export class RetryLater extends Error {
	override name = "RetryLater";
	constructor(
		readonly delaySeconds: number,
		message: string,
	) {
		super(message);
	}
}
