import { and, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { customEmojis, remoteEmojis } from "../../db/schema";

/** `:shortcode:` as written in names, bios and posts. */
const SHORTCODE = /:([a-zA-Z0-9_]{2,64}):/g;

/** The shortcodes written in `texts`, each once. */
export function shortcodesIn(texts: readonly string[]): string[] {
	const found = new Set<string>();
	for (const text of texts) for (const match of text.matchAll(SHORTCODE)) found.add(match[1] as string);
	return [...found];
}

/** Emoji image URLs by domain (`""` for this server's own) and shortcode. */
export type EmojiMap = Map<string, Map<string, string>>;

/**
 * The images of the custom emoji that `wanted` names: this server's own for
 * local text (domain null), each server's own for its accounts' text: at
 * most two statements whatever the number of domains, none when nothing is
 * wanted.
 */
export async function lookupEmojis(
	db: Db,
	origin: string,
	wanted: readonly { domain: string | null; texts: readonly string[] }[],
): Promise<EmojiMap> {
	const byDomain = new Map<string, Set<string>>();
	for (const { domain, texts } of wanted) {
		const codes = shortcodesIn(texts);
		if (codes.length === 0) continue;
		const key = domain ?? "";
		const set = byDomain.get(key) ?? new Set<string>();
		for (const code of codes) set.add(code);
		byDomain.set(key, set);
	}
	const map: EmojiMap = new Map();
	if (byDomain.size === 0) return map;
	const localCodes = [...(byDomain.get("") ?? [])];
	const remote = [...byDomain].filter(([domain]) => domain !== "");
	const remotePairs = remote.flatMap(([domain, codes]) => [...codes].map((code) => `${code}@${domain}`));
	const local = db
		.select({ shortcode: customEmojis.shortcode, fileKey: customEmojis.fileKey })
		.from(customEmojis)
		.where(inArray(customEmojis.shortcode, localCodes));
	const others = db
		.select({ shortcode: remoteEmojis.shortcode, domain: remoteEmojis.domain, url: remoteEmojis.url })
		.from(remoteEmojis)
		.where(
			and(
				inArray(
					remoteEmojis.domain,
					remote.map(([domain]) => domain),
				),
				sql`${remoteEmojis.shortcode} || '@' || ${remoteEmojis.domain} in (select value from json_each(${JSON.stringify(remotePairs)}))`,
			),
		);
	// Only the statements that can find something are sent (D1 counts each one).
	const [localRows, remoteRows] = await Promise.all([
		localCodes.length > 0 ? local : [],
		remotePairs.length > 0 ? others : [],
	]);
	const rows = [
		...localRows.map((row) => ({ shortcode: row.shortcode, domain: "", url: `${origin}/media/${row.fileKey}` })),
		...remoteRows,
	];
	for (const row of rows) {
		const inner = map.get(row.domain) ?? new Map<string, string>();
		inner.set(row.shortcode, row.url);
		map.set(row.domain, inner);
	}
	return map;
}
