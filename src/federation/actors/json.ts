/** Readers for JSON-LD as servers actually send it: one value or a list, a URL or an object with an id. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}

export function asString(value: unknown): string | null {
	return typeof value === "string" ? value : null;
}

export function asBoolean(value: unknown): boolean | null {
	return typeof value === "boolean" ? value : null;
}

/** An http(s) URL with a DNS name or IP for host, or null. (WHATWG URLs allow hosts like `{{domain}}`.) */
export function asHttpUrl(value: unknown): string | null {
	if (typeof value !== "string") return null;
	try {
		const url = new URL(value);
		if (url.protocol !== "https:" && url.protocol !== "http:") return null;
		return /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)$/i.test(url.hostname) ? url.href : null;
	} catch {
		return null;
	}
}

/** The id of a reference: a string, or an object's `id` (or `href` for Links); the first of a list. */
export function refId(value: unknown): string | null {
	for (const item of asArray(value)) {
		if (typeof item === "string") return item;
		if (isObject(item)) {
			const id = asString(item.id) ?? asString(item.href);
			if (id) return id;
		}
	}
	return null;
}

export function refUrl(value: unknown): string | null {
	return asHttpUrl(refId(value));
}

/** A `url` that may be a string, a Link, or a list of those (text/html preferred). */
export function linkUrl(value: unknown): string | null {
	const items = asArray(value);
	const html = items.find((item) => isObject(item) && asString(item.mediaType) === "text/html");
	return refUrl(html ?? items[0]);
}

/** A natural-language property, from the plain value or the first `…Map` entry. */
export function naturalText(object: JsonObject, key: string): string | null {
	const plain = asString(object[key]);
	if (plain !== null) return plain;
	const map = object[`${key}Map`];
	if (isObject(map)) {
		for (const value of Object.values(map)) if (typeof value === "string") return value;
	}
	return null;
}

export function typeOf(object: JsonObject): string | null {
	for (const type of asArray(object.type)) if (typeof type === "string") return type;
	return null;
}
