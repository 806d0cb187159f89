import { expect, it } from "vitest";
import { CsvError, parseCsv, toCsv } from "./csv";

it("reads quoted fields with commas, quotes and line breaks, and blank lines are no records", () => {
	expect(parseCsv('a,"b, c","say ""hi""","two\nlines"\r\n\r\nd,,\n')).toEqual([
		{ line: 1, fields: ["a", "b, c", 'say "hi"', "two\nlines"] },
		{ line: 4, fields: ["d", "", ""] },
	]);
});

it("names the line of a broken quote", () => {
	expect(() => parseCsv('a\n"b\n')).toThrow(CsvError);
	expect(() => parseCsv('a\n"b"c\n')).toThrow("Line 2: text after a closing quote");
	expect(() => parseCsv('a\nb"c\n')).toThrow("Line 2: a quote inside an unquoted field");
});

it("writes what it reads", () => {
	const rows = [
		["domain", "comment"],
		["x.example", 'a "quoted", comma'],
	];
	expect(parseCsv(toCsv(rows)).map((r) => r.fields)).toEqual(rows);
});
