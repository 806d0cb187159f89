import { sql } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { inIdList } from "../../db/queries/id-list";
import { sqlAll } from "../../db/queries/raw";
import { type Account, type Announcement, type CustomEmoji, customEmojis, statuses } from "../../db/schema";
import { mentionedAccountsQuery, textEntities } from "../statuses/mentions";

export interface ReactionCount {
	name: string;
	count: number;
	/** Null when there is no viewer. */
	me: boolean | null;
	emoji: CustomEmoji | null;
}

export interface AnnouncementView {
	announcement: Announcement;
	/** Null when there is no viewer. */
	read: boolean | null;
	mentioned: Account[];
	tagNames: string[];
	statuses: { id: string; url: string }[];
	emojis: CustomEmoji[];
	reactions: ReactionCount[];
}

const SHORTCODE = /:([a-zA-Z0-9_]{2,64}):/g;

function shortcodesIn(text: string): string[] {
	return [...new Set([...text.matchAll(SHORTCODE)].map((m) => m[1] as string))];
}

/** Ids of this instance's posts linked in the text, by their web or ActivityPub address. */
function localStatusLinks(urls: string[], config: InstanceConfig): Map<string, string> {
	const links = new Map<string, string>();
	const origin = config.origin.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const pattern = new RegExp(`^${origin}/(?:@[^/]+|users/[^/]+/statuses)/(\\d{1,20})/?$`);
	for (const url of urls) {
		const id = pattern.exec(url)?.[1];
		if (id) links.set(url, id);
	}
	return links;
}

interface ReactionRow {
	announcementId: string;
	name: string;
	count: number;
	me: number;
	emojiId: string | null;
}

/**
 * Everything the Announcement entity shows besides its own columns, for all
 * of `list` in one round trip: the viewer's reads and reactions, reaction
 * counts, mentioned accounts, linked public posts and custom emojis.
 */
export async function loadAnnouncementViews(
	db: Db,
	config: InstanceConfig,
	list: Announcement[],
	viewerId: string | null,
): Promise<AnnouncementView[]> {
	if (list.length === 0) return [];
	const ids = list.map((a) => a.id);
	const parsed = list.map((a) => {
		const entities = textEntities(a.text, config);
		return { entities, links: localStatusLinks(entities.urls, config), shortcodes: shortcodesIn(a.text) };
	});
	const mentionKeys = [...new Set(parsed.flatMap((p) => p.entities.mentionKeys))];
	const statusIds = [...new Set(parsed.flatMap((p) => [...p.links.values()]))];
	const shortcodes = [...new Set(parsed.flatMap((p) => p.shortcodes))];
	const [reads, reactions, emojis, mentioned, linked] = await db.batch([
		sqlAll<{ announcementId: string }>(
			db,
			sql`select announcement_id as announcementId from announcement_reads
			where account_id = ${viewerId ?? ""} and ${inIdList(sql`announcement_id`, ids)}`,
		),
		sqlAll<ReactionRow>(
			db,
			sql`select announcement_id as announcementId, name, count(*) as count,
				max(account_id = ${viewerId ?? ""}) as me, max(custom_emoji_id) as emojiId
			from announcement_reactions where ${inIdList(sql`announcement_id`, ids)}
			group by announcement_id, name order by min(created_at), name`,
		),
		db
			.select()
			.from(customEmojis)
			.where(
				sql`${inIdList(customEmojis.shortcode, shortcodes)} or ${customEmojis.id} in
				(select custom_emoji_id from announcement_reactions where ${inIdList(sql`announcement_id`, ids)})`,
			),
		mentionedAccountsQuery(db, mentionKeys),
		db
			.select({ id: statuses.id, url: statuses.url, uri: statuses.uri })
			.from(statuses)
			.where(
				sql`${inIdList(statuses.id, statusIds)} and ${statuses.local} = 1 and ${statuses.deletedAt} is null
				and ${statuses.visibility} in ('public', 'unlisted') and ${statuses.reblogOfId} is null`,
			),
	]);
	const readIds = new Set(reads.map((r) => r.announcementId));
	const emojisById = new Map(emojis.map((e) => [e.id, e]));
	const emojisByShortcode = new Map(emojis.map((e) => [e.shortcode, e]));
	const accountsByKey = new Map(mentioned.map((a) => [a.acctKey ?? "", a]));
	const statusesById = new Map(linked.map((s) => [s.id, s]));
	return list.map((announcement, i) => {
		const { entities, links, shortcodes: own } = parsed[i] as (typeof parsed)[number];
		const linkedStatuses = [...links.entries()].flatMap(([url, id]) => {
			const status = statusesById.get(id);
			// The address must be the post's own, not another user's path with the same id.
			return status && (url === status.uri || url === status.url) ? [{ id, url: status.url ?? status.uri }] : [];
		});
		return {
			announcement,
			read: viewerId ? readIds.has(announcement.id) : null,
			mentioned: entities.mentionKeys.flatMap((key) => accountsByKey.get(key) ?? []),
			tagNames: entities.tags,
			statuses: [...new Map(linkedStatuses.map((s) => [s.id, s])).values()],
			emojis: own.flatMap((code) => emojisByShortcode.get(code) ?? []),
			reactions: reactions
				.filter((r) => r.announcementId === announcement.id)
				.map((r) => ({
					name: r.name,
					count: Number(r.count),
					me: viewerId ? Number(r.me) === 1 : null,
					emoji: r.emojiId ? (emojisById.get(r.emojiId) ?? null) : null,
				})),
		};
	});
}
