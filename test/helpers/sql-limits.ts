/**
 * Production D1 refuses a SQL function called with more than 32 arguments;
 * the local SQLite behind the tests does not, so tests check the SQL text.
 */
export const D1_MAX_FUNCTION_ARGUMENTS = 32;

/** Words that open a parenthesis without calling a function. */
const KEYWORDS = new Set([
	"in",
	"exists",
	"values",
	"as",
	"on",
	"and",
	"or",
	"not",
	"when",
	"then",
	"else",
	"select",
	"where",
	"from",
	"join",
	"using",
	"over",
	"filter",
	"into",
	"table",
	"key",
	"check",
	"is",
]);

/** The largest number of arguments of any function call in `query` (quoted text skipped). */
export function maxFunctionArguments(query: string): number {
	const frames: { isCall: boolean; commas: number; empty: boolean }[] = [];
	let max = 0;
	let previous = "";
	let word = "";
	for (let i = 0; i < query.length; i++) {
		const c = query[i] as string;
		if (c === "'" || c === '"' || c === "`") {
			const end = query.indexOf(c, i + 1);
			i = end < 0 ? query.length : end;
			if (frames.length > 0) (frames.at(-1) as { empty: boolean }).empty = false;
			previous = c;
			continue;
		}
		if (c === "(") {
			const isCall = /[A-Za-z0-9_]/.test(previous) && !KEYWORDS.has(word.toLowerCase());
			frames.push({ isCall, commas: 0, empty: true });
		} else if (c === ")") {
			const frame = frames.pop();
			if (frame?.isCall) max = Math.max(max, frame.empty ? 0 : frame.commas + 1);
			if (frames.length > 0) (frames.at(-1) as { empty: boolean }).empty = false;
		} else if (frames.length > 0 && !/\s/.test(c)) {
			const frame = frames.at(-1) as { commas: number; empty: boolean };
			if (c === ",") frame.commas++;
			frame.empty = false;
		}
		if (/[A-Za-z0-9_]/.test(c)) word = /[A-Za-z0-9_]/.test(query[i - 1] ?? "") ? word + c : c;
		if (!/\s/.test(c)) previous = c;
	}
	return max;
}
