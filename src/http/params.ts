import { hasNonText } from "../lib/text/unicode";
import { BODY_LIMITS, readBodyBytes } from "./body";
import { ApiError, badRequest, unsupportedMediaType } from "./errors";

export type ParamValue = string | number | boolean | null | File | ParamValue[] | ParamObject;
export interface ParamObject {
	[key: string]: ParamValue;
}

/**
 * Splits a form key like `poll[options][]` or `fields_attributes[0][name]` into
 * `["poll", "options", ""]`: an empty segment appends to an array, as Rails does.
 * A key that is not of that shape is taken whole.
 */
export function splitKey(key: string): string[] {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
	if (!match?.[1]) return [key];
	const segments = [match[1]];
	for (const part of (match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)) segments.push(part[1] ?? "");
	return segments;
}

function isObject(value: ParamValue | undefined): value is ParamObject {
	return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof File);
}

/** Sets one form entry into `target`, following Rails' nested-parameter rules. */
export function assignFormValue(target: ParamObject, key: string, value: string | File): void {
	const segments = splitKey(key);
	let container: ParamObject = target;
	for (let i = 0; i < segments.length; i++) {
		const name = segments[i] as string;
		const next = segments[i + 1];
		const last = next === undefined;
		if (last) {
			container[name] = value;
			return;
		}
		if (next === "") {
			// `name[]` or `name[][sub]`: an array at `name`.
			let list = container[name];
			if (!Array.isArray(list)) {
				list = [];
				container[name] = list;
			}
			const rest = segments.slice(i + 2);
			if (rest.length === 0) {
				list.push(value);
				return;
			}
			// `name[][sub]=v`: fill the last object unless it already has `sub`, then start a new one.
			const tail = list[list.length - 1];
			let element: ParamObject;
			if (isObject(tail) && !((rest[0] as string) in tail)) {
				element = tail;
			} else {
				element = {};
				list.push(element);
			}
			assignFormValue(element, rest.map((s, j) => (j === 0 ? s : `[${s}]`)).join(""), value);
			return;
		}
		let child = container[name];
		if (!isObject(child)) {
			child = {};
			container[name] = child;
		}
		container = child;
	}
}

function fromEntries(entries: Iterable<[string, string | File]>, into: ParamObject = {}): ParamObject {
	for (const [key, value] of entries) assignFormValue(into, key, value);
	return into;
}

const TRUE_VALUES = new Set(["true", "1", "on", "t", "yes", "y"]);
const FALSE_VALUES = new Set(["false", "0", "off", "f", "no", "n", ""]);

/**
 * Request parameters merged from the query string and the body, read the same
 * way whatever the encoding, with typed accessors that answer 422 on bad input.
 */
export class Params {
	constructor(readonly data: ParamObject) {}

	has(name: string): boolean {
		return this.data[name] !== undefined;
	}

	raw(name: string): ParamValue | undefined {
		return this.data[name];
	}

	string(name: string, options: { maxLength?: number } = {}): string | undefined {
		const value = this.data[name];
		if (value === undefined || value === null) return undefined;
		if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
			const text = String(value);
			// NUL and unpaired surrogates (a `\u0000` or `\ud800` in JSON, `%00` in a form) are never text.
			if (hasNonText(text)) throw invalid(name, "contains a NUL character or invalid UTF-8");
			if (options.maxLength !== undefined && text.length > options.maxLength) {
				throw invalid(name, `is too long (maximum is ${options.maxLength} characters)`);
			}
			return text;
		}
		throw invalid(name, "must be a string");
	}

	requiredString(name: string, options: { maxLength?: number } = {}): string {
		const value = this.string(name, options);
		if (value === undefined || value === "") throw invalid(name, "is missing");
		return value;
	}

	boolean(name: string): boolean | undefined {
		const value = this.data[name];
		if (value === undefined || value === null) return undefined;
		if (typeof value === "boolean") return value;
		if (typeof value === "number" && (value === 0 || value === 1)) return value === 1;
		if (typeof value === "string") {
			const lowered = value.trim().toLowerCase();
			if (TRUE_VALUES.has(lowered)) return true;
			if (FALSE_VALUES.has(lowered)) return false;
		}
		throw invalid(name, "must be a boolean");
	}

	integer(name: string, options: { min?: number; max?: number } = {}): number | undefined {
		const value = this.data[name];
		if (value === undefined || value === null || value === "") return undefined;
		const number = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN;
		if (!Number.isSafeInteger(number)) throw invalid(name, "must be an integer");
		if (options.min !== undefined && number < options.min) throw invalid(name, `must be at least ${options.min}`);
		if (options.max !== undefined && number > options.max) throw invalid(name, `must be at most ${options.max}`);
		return number;
	}

	/** `name[]=a&name[]=b`, `name[0]=a`, a JSON array, or a single value. */
	stringArray(name: string): string[] | undefined {
		const value = this.data[name];
		if (value === undefined || value === null) return undefined;
		const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [value];
		return items.map((item) => {
			if (typeof item === "string" || typeof item === "number") return String(item);
			throw invalid(name, "must be a list of strings");
		});
	}

	file(name: string): File | undefined {
		const value = this.data[name];
		if (value === undefined || value === null || value === "") return undefined;
		if (value instanceof File) return value;
		throw invalid(name, "must be a file upload");
	}

	object(name: string): Params | undefined {
		const value = this.data[name];
		if (value === undefined || value === null) return undefined;
		if (isObject(value)) return new Params(value);
		throw invalid(name, "must be an object");
	}

	/** A list of objects: a JSON array, `name[][k]=v`, or Rails' indexed `name[0][k]=v`. */
	objectList(name: string): Params[] | undefined {
		const value = this.data[name];
		if (value === undefined || value === null) return undefined;
		const items = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : undefined;
		if (!items) throw invalid(name, "must be a list of objects");
		return items.map((item) => {
			if (isObject(item)) return new Params(item);
			throw invalid(name, "must be a list of objects");
		});
	}
}

function invalid(name: string, problem: string): ApiError {
	return new ApiError(422, `Validation failed: ${name} ${problem}`);
}

export function parseQuery(search: URLSearchParams): ParamObject {
	return fromEntries(search.entries());
}

export interface ReadParamsOptions {
	/** Largest body accepted, in bytes; defaults by content type (see BODY_LIMITS). */
	maxBytes?: number;
}

const BODYLESS_METHODS = new Set(["GET", "HEAD", "OPTIONS", "DELETE"]);

/** Reads the query string and, for methods with a body, the JSON, url-encoded or multipart body. */
export async function readParams(request: Request, options: ReadParamsOptions = {}): Promise<Params> {
	const data = parseQuery(new URL(request.url).searchParams);
	// Only the media type is case-insensitive: a multipart boundary must keep its case.
	const contentType = request.headers.get("Content-Type") ?? "";
	const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
	if (BODYLESS_METHODS.has(request.method) && !request.body) return new Params(data);

	if (mediaType === "multipart/form-data") {
		const bytes = await readBodyBytes(request, options.maxBytes ?? BODY_LIMITS.multipart);
		let form: FormData;
		try {
			form = await new Response(bytes, { headers: { "Content-Type": contentType } }).formData();
		} catch {
			throw badRequest("The multipart body could not be parsed");
		}
		return new Params(fromEntries(form.entries() as Iterable<[string, string | File]>, data));
	}

	const bytes = await readBodyBytes(request, options.maxBytes ?? BODY_LIMITS.form);
	if (bytes.byteLength === 0) return new Params(data);
	let text: string;
	try {
		text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		throw badRequest("The request body is not valid UTF-8");
	}

	if (mediaType === "application/json" || mediaType.endsWith("+json")) {
		let body: unknown;
		try {
			body = JSON.parse(text);
		} catch {
			throw badRequest("The request body is not valid JSON");
		}
		if (typeof body !== "object" || body === null || Array.isArray(body)) {
			throw badRequest("The JSON body must be an object");
		}
		return new Params({ ...data, ...(body as ParamObject) });
	}
	if (mediaType === "application/x-www-form-urlencoded" || mediaType === "") {
		return new Params(fromEntries(new URLSearchParams(text).entries(), data));
	}
	throw unsupportedMediaType(`Unsupported content type: ${mediaType}`);
}
