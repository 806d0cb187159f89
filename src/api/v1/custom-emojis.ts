import { asc } from "drizzle-orm";
import { customEmojis } from "../../db/schema";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeCustomEmoji } from "../../serializers/mastodon/custom-emoji";

export function customEmojiRoutes(router: AppRouter): void {
	router.get("/api/v1/custom_emojis", async (_request, ctx) => {
		const rows = await ctx.db.select().from(customEmojis).orderBy(asc(customEmojis.shortcode));
		return json(
			rows.map((emoji) => serializeCustomEmoji(emoji, ctx.config)),
			{ headers: { "Cache-Control": "public, max-age=300" } },
		);
	});
}
