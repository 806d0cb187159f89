/**
 * Characters that are not text: NUL, and UTF-16 surrogates without their
 * pair (what invalid UTF-8 or a `\ud800` JSON escape decodes to). A browser
 * shows them as U+FFFD, D1 would store broken UTF-8, and other servers
 * refuse them, so Tern never stores or sends them.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this finds.
const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function hasNonText(value: string): boolean {
	NOT_TEXT.lastIndex = 0;
	const found = NOT_TEXT.test(value);
	NOT_TEXT.lastIndex = 0;
	return found;
}

/** `value` without NUL and unpaired surrogates: for text from other servers, which is cleaned rather than refused. */
export function withoutNonText(value: string): string {
	return value.replace(NOT_TEXT, "");
}
