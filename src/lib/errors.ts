/**
 * A rule a request broke (a taken name, a bad value). The API turns it into
 * 422, the CLI prints it; `field` names what to fix.
 */
export class ValidationError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

/** An action the rules forbid between these accounts (a block, following oneself): 403 in the API. */
export class NotPermittedError extends Error {
	constructor(message = "This action is not allowed") {
		super(message);
	}
}

/**
 * A 422 whose message clients match word for word, so it goes out exactly as
 * Mastodon words it (without the "Validation failed:" of ValidationError).
 */
export class UnprocessableError extends Error {}
