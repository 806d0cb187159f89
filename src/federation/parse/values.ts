import { withoutNonText } from "../../lib/text/unicode";
/**
 * Readers for JSON-LD values as servers really send them: one value where an
 * array is usual and the reverse, objects where a URL is usual, dates without
 * the colon in the offset. None of them throws; a missing or unusable value
 * reads as null or [].
 */

export type JsonObject = Record<string, unknown>;

export const PUBLIC_COLLECTION = "https://www.w3.org/ns/activitystreams#Public";
const PUBLIC_ALIASES = new Set([PUBLIC_COLLECTION, "as:Public", "Public"]);

export function isObject(value: unknown): value is JsonObject {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Any value as a list: null/undefined → [], one value → [value]. */
export function asArray(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}

/**
 * Every string read from another server passes here: NUL and unpaired
 * surrogates are removed, so they are never stored, shown or sent on.
 */
export function asString(value: unknown): string | null {
	if (typeof value === "string") return withoutNonText(value);
	if (Array.isArray(value)) return asString(value[0]);
	return null;
}

/** A non-empty string, with surrounding whitespace removed. */
export function asText(value: unknown): string | null {
	const text = asString(value);
	return text === null || text.trim() === "" ? null : text;
}

export function asBoolean(value: unknown): boolean | null {
	if (typeof value === "boolean") return value;
	if (value === "true") return true;
	if (value === "false") return false;
	return null;
}

export function asNumber(value: unknown): number | null {
	if (typeof value === "number" && Number.isFinite(value)) return value;
	if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
	return null;
}

/** An absolute http(s) URL, or null. */
export function asHttpUrl(value: unknown): string | null {
	if (typeof value !== "string") return null;
	try {
		const url = new URL(value);
		return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
	} catch {
		return null;
	}
}

/**
 * An http(s) URL whose host is a DNS name or an IP, or null. WHATWG URLs also
 * allow hosts like `{{domain}}` (unrendered templates seen in the wild): fine
 * to read, not an address Tern can ever send to.
 */
export function asReachableUrl(value: unknown): string | null {
	const url = asHttpUrl(value);
	if (!url) return null;
	return /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)$/i.test(new URL(url).hostname) ? url : null;
}

export function isHttpUrl(value: unknown): value is string {
	return asHttpUrl(value) !== null;
}

/**
 * The id a reference points to: a string, or an object's `id` (or `href` for
 * links). Arrays yield their first usable member.
 */
export function refId(value: unknown): string | null {
	if (typeof value === "string") return value.trim() === "" ? null : value;
	if (Array.isArray(value)) {
		for (const item of value) {
			const id = refId(item);
			if (id) return id;
		}
		return null;
	}
	if (isObject(value)) {
		if (typeof value.id === "string") return value.id;
		if (typeof value.href === "string") return value.href;
		if (typeof value.url === "string") return value.url;
	}
	return null;
}

/** Every id a reference list points to, in order, without duplicates. */
export function refIds(value: unknown): string[] {
	const ids: string[] = [];
	for (const item of asArray(value)) {
		const id = refId(item);
		if (id && !ids.includes(id)) ids.push(id);
	}
	return ids;
}

/**
 * A URL field, which may be a string, a Link object, or a list of either
 * (Misskey/Bridgy Fed send lists; prefer a text/html link when there is one).
 */
export function urlOf(value: unknown): string | null {
	const items = asArray(value);
	let first: string | null = null;
	for (const item of items) {
		if (typeof item === "string") {
			first ??= asHttpUrl(item);
			continue;
		}
		if (isObject(item)) {
			const href = asHttpUrl(item.href) ?? asHttpUrl(item.url);
			if (!href) continue;
			if (item.mediaType === "text/html") return href;
			first ??= href;
		}
	}
	return first;
}

export function isPublicAddress(value: string): boolean {
	return PUBLIC_ALIASES.has(value);
}

/** Node-style offsets such as `+0000` get the colon RFC 3339 requires before parsing. */
export function asDate(value: unknown): Date | null {
	const text = asString(value);
	if (!text) return null;
	const normalized = text.trim().replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
	const millis = Date.parse(normalized);
	if (Number.isNaN(millis)) return null;
	return new Date(millis);
}

/** The `type` of an object; the first one when several are given. */
export function typeOf(value: unknown): string | null {
	if (!isObject(value)) return null;
	for (const type of asArray(value.type)) {
		if (typeof type === "string" && type !== "") return type.replace(/^as:/, "");
	}
	return null;
}

/** `content`, or the preferred entry of `contentMap` when only a language map was sent. */
export function localized(
	object: JsonObject,
	field: "content" | "summary" | "name",
): { text: string | null; language: string | null } {
	const direct = asString(object[field]);
	const map = object[`${field}Map`];
	if (isObject(map)) {
		const entries = Object.entries(map)
			.filter((entry): entry is [string, string] => typeof entry[1] === "string")
			.map(([lang, text]): [string, string] => [lang, withoutNonText(text)]);
		if (direct !== null) {
			const match = entries.find(([, text]) => text === direct);
			return { text: direct, language: match?.[0] ?? entries[0]?.[0] ?? null };
		}
		const chosen = entries.find(([lang]) => lang === "und") ?? entries[0];
		if (chosen) return { text: chosen[1], language: chosen[0] === "und" ? null : chosen[0] };
	}
	return { text: direct, language: null };
}

/** Origin (scheme://host[:port]) of a URL, or null when it is not a URL. */
export function originOf(value: string): string | null {
	try {
		const url = new URL(value);
		return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
	} catch {
		return null;
	}
}

export function hostOf(value: string): string | null {
	try {
		return new URL(value).host.toLowerCase();
	} catch {
		return null;
	}
}
