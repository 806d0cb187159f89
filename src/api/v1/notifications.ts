import { NOTIFICATION_TYPES, type NotificationType } from "../../db/schema";
import { requireUser } from "../../http/auth";
import { notFound } from "../../http/errors";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import type { Params } from "../../http/params";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import {
	clearNotifications,
	dismissNotification,
	findNotification,
	listNotifications,
	type NotificationFilter,
	unreadNotificationCount,
} from "../../services/notifications/queries";
import { loadNotificationViews } from "../../services/notifications/views";

const KNOWN_TYPES = new Set<string>(NOTIFICATION_TYPES);

/** Unknown type names are ignored, as Mastodon does, so newer clients keep working. */
export function notificationTypes(params: Params, name: string): NotificationType[] | undefined {
	const values = params.stringArray(name);
	return values?.filter((type): type is NotificationType => KNOWN_TYPES.has(type));
}

export function notificationFilter(params: Params): NotificationFilter {
	return {
		types: notificationTypes(params, "types"),
		excludeTypes: notificationTypes(params, "exclude_types"),
		fromAccountId: params.string("account_id") || undefined,
	};
}

export function unreadLimit(params: Params): number {
	return Math.min(Math.max(params.integer("limit") ?? 100, 1), 1000);
}

export function notificationRoutes(router: AppRouter): void {
	router.get("/api/v1/notifications/unread_count", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:notifications");
		const params = await readParams(request);
		const count = await unreadNotificationCount(
			ctx.db,
			account.id,
			notificationFilter(params),
			unreadLimit(params),
			false,
		);
		return json({ count });
	});

	router.post("/api/v1/notifications/clear", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:notifications");
		await clearNotifications(ctx.db, account.id);
		return json({});
	});

	router.get("/api/v1/notifications", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:notifications");
		const params = await readParams(request);
		const query = pageQuery(params, { defaultLimit: 40, maxLimit: 80 });
		const rows = await listNotifications(ctx.db, account.id, notificationFilter(params), query);
		const views = await loadNotificationViews(ctx.db, ctx.config, account.id, rows);
		// Links follow the rows read, so a page thinned by hidden statuses still leads on.
		return pagedJson(
			request.url,
			query,
			views,
			rows.map((row) => row.id),
		);
	});

	router.get("/api/v1/notifications/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:notifications");
		const row = await findNotification(ctx.db, account.id, request.params.id ?? "");
		if (!row) throw notFound();
		const [view] = await loadNotificationViews(ctx.db, ctx.config, account.id, [row]);
		if (!view) throw notFound();
		return json(view);
	});

	router.post("/api/v1/notifications/:id/dismiss", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:notifications");
		if (!(await dismissNotification(ctx.db, account.id, request.params.id ?? ""))) throw notFound();
		return json({});
	});
}
