/**
 * CSV as Mastodon reads and writes it (RFC 4180: comma-separated, fields with
 * commas, quotes or line breaks quoted, quotes doubled; CRLF or LF). Blank
 * lines are skipped, as Ruby's CSV does with `skip_blanks`.
 */

export class CsvError extends Error {}

export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = "";
	let quoted = false;
	let fieldStarted = false;
	const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	const endRow = () => {
		row.push(field);
		if (!(row.length === 1 && row[0] === "" && !fieldStarted)) rows.push(row);
		row = [];
		field = "";
		fieldStarted = false;
	};
	for (let i = 0; i < input.length; i++) {
		const c = input[i] as string;
		if (quoted) {
			if (c === '"') {
				if (input[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else field += c;
			continue;
		}
		if (c === '"') {
			if (field !== "") throw new CsvError(`Illegal quoting in line ${rows.length + 1}`);
			quoted = true;
			fieldStarted = true;
		} else if (c === ",") {
			row.push(field);
			field = "";
			fieldStarted = true;
		} else if (c === "\n" || c === "\r") {
			if (c === "\r" && input[i + 1] === "\n") i++;
			endRow();
		} else {
			field += c;
			fieldStarted = true;
		}
	}
	if (quoted) throw new CsvError(`Unclosed quoted field in line ${rows.length + 1}`);
	if (field !== "" || row.length > 0 || fieldStarted) endRow();
	return rows;
}

function csvField(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows as CSV text with LF line ends, as Mastodon's exports are. */
export function formatCsv(rows: readonly (readonly string[])[]): string {
	return rows.map((row) => `${row.map(csvField).join(",")}\n`).join("");
}
