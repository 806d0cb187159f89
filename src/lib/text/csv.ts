/**
 * RFC 4180 CSV: comma-separated fields, double quotes around fields that
 * hold commas, quotes or line breaks, `""` for a quote inside them; CRLF or
 * LF between records. Parsing reports the line of the first problem.
 */
export class CsvError extends Error {
	constructor(
		readonly line: number,
		message: string,
	) {
		super(`Line ${line}: ${message}`);
	}
}

export interface CsvRecord {
	/** The line the record starts on, counting from 1. */
	line: number;
	fields: string[];
}

export function parseCsv(text: string): CsvRecord[] {
	const records: CsvRecord[] = [];
	let fields: string[] = [];
	let field = "";
	let line = 1;
	let recordLine = 1;
	let quoted = false;
	let fieldStarted = false;
	const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
	const endRecord = () => {
		fields.push(field);
		// A blank line is no record.
		if (!(fields.length === 1 && fields[0] === "" && !fieldStarted)) records.push({ line: recordLine, fields });
		fields = [];
		field = "";
		fieldStarted = false;
	};
	for (let i = 0; i < input.length; i++) {
		const char = input[i] as string;
		if (quoted) {
			if (char === '"') {
				if (input[i + 1] === '"') {
					field += '"';
					i++;
				} else {
					quoted = false;
					const next = input[i + 1];
					if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
						throw new CsvError(line, "text after a closing quote");
					}
				}
			} else {
				if (char === "\n") line++;
				field += char;
			}
			continue;
		}
		if (char === '"') {
			if (field !== "") throw new CsvError(line, "a quote inside an unquoted field");
			quoted = true;
			fieldStarted = true;
		} else if (char === ",") {
			fields.push(field);
			field = "";
			fieldStarted = true;
		} else if (char === "\n" || char === "\r") {
			if (char === "\r" && input[i + 1] === "\n") i++;
			endRecord();
			line++;
			recordLine = line;
		} else {
			field += char;
			fieldStarted = true;
		}
	}
	if (quoted) throw new CsvError(recordLine, "a quoted field is never closed");
	if (field !== "" || fields.length > 0 || fieldStarted) endRecord();
	return records;
}

function quote(value: string): string {
	return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
	return rows
		.map((row) => row.map(quote).join(","))
		.join("\n")
		.concat("\n");
}
