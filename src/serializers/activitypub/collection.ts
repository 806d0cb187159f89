import { ACTIVITYSTREAMS } from "./context";

/** An OrderedCollection that links to its pages (or, for small ones, holds its items). */
export function orderedCollection(
	id: string,
	totalItems: number,
	options: { first?: string; last?: string; orderedItems?: unknown[]; context?: unknown } = {},
) {
	return {
		"@context": options.context ?? ACTIVITYSTREAMS,
		id,
		type: "OrderedCollection",
		totalItems,
		...(options.first ? { first: options.first } : {}),
		...(options.last ? { last: options.last } : {}),
		...(options.orderedItems ? { orderedItems: options.orderedItems } : {}),
	};
}

export function orderedCollectionPage(
	id: string,
	partOf: string,
	orderedItems: unknown[],
	options: { next?: string | null; prev?: string | null; totalItems?: number; context?: unknown } = {},
) {
	return {
		"@context": options.context ?? ACTIVITYSTREAMS,
		id,
		type: "OrderedCollectionPage",
		partOf,
		...(options.totalItems !== undefined ? { totalItems: options.totalItems } : {}),
		...(options.next ? { next: options.next } : {}),
		...(options.prev ? { prev: options.prev } : {}),
		orderedItems,
	};
}

/** An unordered Collection holding all its items (Mastodon's featured tags). */
export function unorderedCollection(id: string, items: unknown[], context: unknown = ACTIVITYSTREAMS) {
	return { "@context": context, id, type: "Collection", totalItems: items.length, items };
}
