import { requireUser } from "../../http/auth";
import { notFound } from "../../http/errors";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import { findAccounts } from "../../services/accounts/queries";
import { GROUPABLE_TYPES } from "../../services/notifications/group-keys";
import {
	dismissNotificationGroup,
	findNotificationGroup,
	listNotificationGroups,
} from "../../services/notifications/groups";
import { unreadNotificationCount } from "../../services/notifications/queries";
import { loadGroupedNotificationViews } from "../../services/notifications/views";
import { notificationFilter, notificationTypes, unreadLimit } from "../v1/notifications";

export function groupedNotificationRoutes(router: AppRouter): void {
	router.get("/api/v2/notifications/unread_count", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:notifications");
		const params = await readParams(request);
		const count = await unreadNotificationCount(
			ctx.db,
			account.id,
			notificationFilter(params),
			unreadLimit(params),
			true,
		);
		return json({ count });
	});

	router.get("/api/v2/notifications", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:notifications");
		const params = await readParams(request);
		const query = pageQuery(params, { defaultLimit: 40, maxLimit: 80 });
		const groupedTypes = notificationTypes(params, "grouped_types") ?? GROUPABLE_TYPES;
		const page = await listNotificationGroups(ctx.db, account.id, notificationFilter(params), groupedTypes, query);
		const body = await loadGroupedNotificationViews(ctx.db, ctx.config, account.id, page.groups);
		return pagedJson(request.url, query, body, page.bounds);
	});

	router.get("/api/v2/notifications/:group_key", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:notifications");
		const group = await findNotificationGroup(ctx.db, account.id, request.params.group_key ?? "");
		if (!group) throw notFound();
		const body = await loadGroupedNotificationViews(ctx.db, ctx.config, account.id, [group]);
		if (body.notification_groups.length === 0) throw notFound();
		return json(body);
	});

	router.get("/api/v2/notifications/:group_key/accounts", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:notifications");
		const group = await findNotificationGroup(ctx.db, account.id, request.params.group_key ?? "", {
			allAccounts: true,
		});
		if (!group) throw notFound();
		const accounts = await findAccounts(ctx.db, group.sampleAccountIds);
		return json(
			group.sampleAccountIds.flatMap((id) => {
				const found = accounts.get(id);
				return found ? [serializeAccount(found, ctx.config)] : [];
			}),
		);
	});

	router.post("/api/v2/notifications/:group_key/dismiss", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:notifications");
		if (!(await dismissNotificationGroup(ctx.db, account.id, request.params.group_key ?? ""))) throw notFound();
		return json({});
	});
}
