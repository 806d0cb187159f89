import { ValidationError } from "../../lib/errors";
import { CsvError, parseCsv } from "./csv";

/**
 * Reading an uploaded CSV the way Mastodon's import form does: a header row
 * is recognised by its first column, a file without one is read with the
 * type's default columns, columns other than the expected ones are ignored,
 * and values are normalised (booleans, language lists, a leading "@").
 */

export const CSV_IMPORT_TYPES = ["following", "blocking", "muting", "domain_blocking", "bookmarks", "lists"] as const;
export type CsvImportType = (typeof CSV_IMPORT_TYPES)[number];

export const CSV_FILE_SIZE_LIMIT = 20 * 1024 * 1024;
export const CSV_ROWS_LIMIT = 20_000;

const EXPECTED_HEADERS: Record<CsvImportType, string[]> = {
	following: ["Account address", "Show boosts", "Notify on new posts", "Languages"],
	blocking: ["Account address"],
	muting: ["Account address", "Hide notifications"],
	domain_blocking: ["#domain"],
	bookmarks: ["#uri"],
	lists: ["List name", "Account address"],
};

const DEFAULT_HEADERS: Record<CsvImportType, string[]> = {
	following: ["Account address"],
	blocking: ["Account address"],
	muting: ["Account address"],
	domain_blocking: ["#domain"],
	bookmarks: ["#uri"],
	lists: ["List name", "Account address"],
};

const KNOWN_FIRST_HEADERS = new Set(Object.values(EXPECTED_HEADERS).map((headers) => headers[0]));

const ATTRIBUTE: Record<string, string> = {
	"Account address": "acct",
	"Show boosts": "show_reblogs",
	"Notify on new posts": "notify",
	Languages: "languages",
	"Hide notifications": "hide_notifications",
	"#domain": "domain",
	"#uri": "uri",
	"List name": "list_name",
};

export type CsvRowData = Record<string, string | boolean | string[] | null>;

export function isCsvImportType(value: string): value is CsvImportType {
	return (CSV_IMPORT_TYPES as readonly string[]).includes(value);
}

/** Ruby on Rails' boolean cast: these strings are false, any other non-empty one true, blank is unset. */
function castBoolean(value: string): boolean | null {
	const text = value.trim().toLowerCase();
	if (text === "") return null;
	return !["0", "f", "false", "off", "no"].includes(text);
}

function convert(header: string, value: string | undefined): string | boolean | string[] | null {
	const field = value ?? "";
	switch (header) {
		case "Show boosts":
		case "Notify on new posts":
		case "Hide notifications":
			return castBoolean(field);
		case "Languages": {
			const list = field
				.split(",")
				.map((part) => part.trim())
				.filter(Boolean);
			return list.length > 0 ? list : null;
		}
		case "Account address":
			return field.trim().replace(/^@/, "");
		case "#domain":
			return field.trim().toLowerCase();
		default:
			return field.trim();
	}
}

/** Which type a file seems to hold, from its headers or its name (Mastodon warns on a mismatch). */
export function guessedType(headers: string[], filename: string | null): CsvImportType | null {
	const name = filename ?? "";
	const has = (header: string) => headers.includes(header);
	if (has("Hide notifications") || name.startsWith("mutes") || name.startsWith("muted_accounts")) return "muting";
	if (
		has("Show boosts") ||
		has("Notify on new posts") ||
		has("Languages") ||
		name.startsWith("follows") ||
		name.startsWith("following_accounts")
	)
		return "following";
	if (name.startsWith("blocks") || name.startsWith("blocked_accounts")) return "blocking";
	if (name.startsWith("domain_blocks") || name.startsWith("blocked_domains")) return "domain_blocking";
	if (name.startsWith("bookmarks")) return "bookmarks";
	if (name.startsWith("lists")) return "lists";
	return null;
}

export interface ParsedImportFile {
	rows: CsvRowData[];
	headers: string[];
}

/** Reads a CSV file for an import of `type`; bad files throw a ValidationError saying why, as Mastodon words it. */
export function readImportFile(type: CsvImportType, text: string): ParsedImportFile {
	let table: string[][];
	try {
		table = parseCsv(text);
	} catch (error) {
		if (error instanceof CsvError) {
			throw new ValidationError("data", `The file is not a valid CSV file: ${error.message}`);
		}
		throw error;
	}
	const first = table[0];
	if (!first) throw new ValidationError("data", "The file is empty");
	const hasHeader = KNOWN_FIRST_HEADERS.has(first[0]?.trim() ?? "");
	const headers = hasHeader ? first.map((header) => header.trim()) : DEFAULT_HEADERS[type];
	const body = hasHeader ? table.slice(1) : table;
	if (!DEFAULT_HEADERS[type].every((header) => headers.includes(header))) {
		throw new ValidationError("data", "This file does not hold the kind of data chosen (its columns do not match)");
	}
	if (body.length > CSV_ROWS_LIMIT) {
		throw new ValidationError("data", `The file has more than ${CSV_ROWS_LIMIT} rows`);
	}
	const expected = EXPECTED_HEADERS[type];
	const rows = body.map((cells) => {
		const row: CsvRowData = {};
		headers.forEach((header, index) => {
			const attribute = ATTRIBUTE[header];
			if (!attribute || !expected.includes(header)) return;
			row[attribute] = convert(header, cells[index]);
		});
		return row;
	});
	// A row without the thing it names (an empty address) can only fail: leave it out, as blank lines are.
	const key = type === "domain_blocking" ? "domain" : type === "bookmarks" ? "uri" : "acct";
	return { headers, rows: rows.filter((row) => typeof row[key] === "string" && row[key] !== "") };
}
