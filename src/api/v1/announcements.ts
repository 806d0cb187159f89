import { requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { notFound } from "../../http/errors";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAnnouncement } from "../../serializers/mastodon/announcement";
import { addReaction, dismissAnnouncement, removeReaction } from "../../services/instance/announcement-reactions";
import { streamAnnouncementReaction } from "../../services/instance/announcement-streams";
import { loadAnnouncementViews } from "../../services/instance/announcement-views";
import { activeAnnouncements, findActiveAnnouncement } from "../../services/instance/announcements";

async function requireAnnouncement(request: AppRequest, ctx: AppContext) {
	const announcement = await findActiveAnnouncement(ctx.db, request.params.id ?? "");
	if (!announcement) throw notFound();
	return announcement;
}

function reactionName(request: AppRequest): string {
	try {
		return decodeURIComponent(request.params.name ?? "");
	} catch {
		throw notFound();
	}
}

/** Instance announcements: reading them, dismissing them, reacting to them. */
export function announcementRoutes(router: AppRouter): void {
	// Mastodon asks only for a user's token here, whatever its scopes.
	router.get("/api/v1/announcements", async (request, ctx) => {
		const { account } = await requireUser(request, ctx);
		const views = await loadAnnouncementViews(ctx.db, ctx.config, await activeAnnouncements(ctx.db), account.id);
		return json(views.map((view) => serializeAnnouncement(view, ctx.config)));
	});

	router.post("/api/v1/announcements/:id/dismiss", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:accounts");
		const announcement = await requireAnnouncement(request, ctx);
		await dismissAnnouncement(ctx.db, announcement.id, account.id);
		return json({});
	});

	router.put("/api/v1/announcements/:id/reactions/:name", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:favourites");
		const announcement = await requireAnnouncement(request, ctx);
		const name = reactionName(request);
		await addReaction(ctx.db, announcement.id, account.id, name);
		await streamAnnouncementReaction(ctx, announcement, name);
		return json({});
	});

	router.delete("/api/v1/announcements/:id/reactions/:name", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:favourites");
		const announcement = await requireAnnouncement(request, ctx);
		const name = reactionName(request);
		if (!(await removeReaction(ctx.db, announcement.id, account.id, name))) throw notFound();
		await streamAnnouncementReaction(ctx, announcement, name);
		return json({});
	});
}
