import { requireUser } from "../../http/auth";
import type { AppContext } from "../../http/context";
import { notFound } from "../../http/errors";
import { linkHeader, pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeAccount } from "../../serializers/mastodon/account";
import type { MastodonGroupedNotifications } from "../../serializers/mastodon/entities";
import { STATUS_NOTIFICATION_TYPES, serializeNotificationGroup } from "../../serializers/mastodon/notification";
import { findAccounts } from "../../services/account-queries";
import {
	dismissNotificationGroup,
	findNotificationGroup,
	listNotificationGroups,
	type NotificationGroupRow,
} from "../../services/notification-groups";
import { unreadNotificationCount } from "../../services/notification-queries";
import { loadNotificationStatuses } from "../../services/notification-views";
import { GROUPABLE_TYPES } from "../../services/notifications";
import { notificationFilter, notificationTypes, unreadLimit } from "../v1/notifications";

/** The groups with their sample accounts and statuses, each listed once; groups whose status is gone are dropped. */
async function groupedResults(
	ctx: AppContext,
	viewerId: string,
	groups: NotificationGroupRow[],
): Promise<MastodonGroupedNotifications> {
	const statusIds = groups.flatMap((g) => (g.statusId && STATUS_NOTIFICATION_TYPES.has(g.type) ? [g.statusId] : []));
	const [accounts, statuses] = await Promise.all([
		findAccounts(
			ctx.db,
			groups.flatMap((g) => g.sampleAccountIds),
		),
		loadNotificationStatuses(ctx.db, ctx.config, viewerId, statusIds),
	]);
	const shown = groups.filter(
		(g) => !STATUS_NOTIFICATION_TYPES.has(g.type) || (g.statusId !== null && statuses.has(g.statusId)),
	);
	const accountIds = [...new Set(shown.flatMap((g) => g.sampleAccountIds))];
	return {
		accounts: accountIds.flatMap((id) => {
			const account = accounts.get(id);
			return account ? [serializeAccount(account, ctx.config)] : [];
		}),
		statuses: [...new Set(shown.flatMap((g) => (g.statusId && statuses.has(g.statusId) ? [g.statusId] : [])))].flatMap(
			(id) => statuses.get(id) ?? [],
		),
		notification_groups: shown.map((g) => ({
			...serializeNotificationGroup(g),
			sample_account_ids: g.sampleAccountIds.filter((id) => accounts.has(id)),
		})),
	};
}

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
		const body = await groupedResults(ctx, account.id, page.groups);
		const link = linkHeader(request.url, query, page.bounds);
		return json(body, link ? { headers: { Link: link } } : {});
	});

	router.get("/api/v2/notifications/:group_key", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:notifications");
		const group = await findNotificationGroup(ctx.db, account.id, request.params.group_key ?? "");
		if (!group) throw notFound();
		const body = await groupedResults(ctx, account.id, [group]);
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
