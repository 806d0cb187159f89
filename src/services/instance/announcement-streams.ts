import { and, gt, lte, sql } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { type Announcement, announcements } from "../../db/schema";
import { serializeAnnouncement, serializeReaction } from "../../serializers/mastodon/announcement";
import { type StreamEnv, streamToAllHomes } from "../streaming/publish";
import { loadAnnouncementViews } from "./announcement-views";
import { activeAt } from "./announcements";

/**
 * Announcements on the streaming API, as Mastodon sends them to every
 * signed-in account listening on its home stream: rendered without a viewer
 * (no `read`, no `me`).
 */

interface AnnouncementStreamContext {
	env: StreamEnv;
	db: Db;
	config: InstanceConfig;
}

export async function streamAnnouncement(ctx: AnnouncementStreamContext, announcement: Announcement): Promise<void> {
	const [view] = await loadAnnouncementViews(ctx.db, ctx.config, [announcement], null);
	if (!view) return;
	await streamToAllHomes(ctx, "announcement", JSON.stringify(serializeAnnouncement(view, ctx.config)));
}

/** The reaction's new count after someone added or removed it (zero when the last one went). */
export async function streamAnnouncementReaction(
	ctx: AnnouncementStreamContext,
	announcement: Announcement,
	name: string,
): Promise<void> {
	const [view] = await loadAnnouncementViews(ctx.db, ctx.config, [announcement], null);
	const reaction = view?.reactions.find((r) => r.name === name);
	const payload = {
		...(reaction ? serializeReaction(reaction, ctx.config) : { name, count: 0 }),
		announcement_id: announcement.id,
	};
	await streamToAllHomes(ctx, "announcement.reaction", JSON.stringify(payload));
}

export function streamAnnouncementDeleted(ctx: AnnouncementStreamContext, id: string): Promise<void> {
	return streamToAllHomes(ctx, "announcement.delete", id);
}

/**
 * For the cron: announcements whose time came in (`since`, `until`] (made
 * from the CLI, or scheduled with a start), announced as they begin, which
 * is how Mastodon publishes scheduled ones.
 */
export async function streamStartedAnnouncements(
	ctx: AnnouncementStreamContext,
	since: Date,
	until: Date,
): Promise<number> {
	const start = sql`coalesce(${announcements.startsAt}, ${announcements.publishedAt}, ${announcements.createdAt})`;
	const started = await ctx.db
		.select()
		.from(announcements)
		.where(and(activeAt(until), gt(start, since.getTime()), lte(start, until.getTime())));
	for (const announcement of started) await streamAnnouncement(ctx, announcement);
	return started.length;
}
