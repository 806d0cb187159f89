/** A document that cannot be used at all (no id, no actor…); the message says why. */
export class ParseError extends Error {
	override name = "ParseError";
}
