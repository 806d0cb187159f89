import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type FilterContext, follows } from "../../db/schema";
import type { MastodonStatus } from "../../serializers/mastodon/entities";
import { isHiddenByFilters, matchFilters } from "../filters/match";
import { findNotification } from "../notifications/queries";
import { loadNotificationViews } from "../notifications/views";
import { loadStatusViews } from "../statuses/views";
import { conversationViews, findConversation } from "../timelines/conversations";
import type {
	ConversationDelivery,
	DeleteDelivery,
	NotificationDelivery,
	StatusDelivery,
	StreamDelivery,
} from "./events";
import { freshStatusFor } from "./personalize";
import { listIdOf, type Subscription, userStreamHasNotifications } from "./streams";
import { hidesAuthor, inExclusiveList, type ViewerContext, type ViewerList, viewerFilters } from "./viewer";

/**
 * The receiving side of a delivery, inside an account's streaming object:
 * which of its connections' subscriptions an event belongs to, and the
 * viewer's copy of its payload, with the rules of the matching REST
 * timeline (home and lists: exclusive lists, replies policy; public and tags:
 * blocks and mutes; all: filters of the timeline's context, `hide` dropping
 * the event). Each payload is made at most once per event, and only when some
 * connection wants it.
 */

/** One message as Mastodon's streaming server sends it. */
export interface StreamMessage {
	stream: string[];
	event: string;
	/** The payload string (JSON for entities, a bare id for deletes); absent for filters_changed. */
	payload?: string;
}

export interface StreamConnection {
	subscriptions: readonly Subscription[];
	scopes: readonly string[];
	tokenId: string;
	send(message: StreamMessage): void;
	close(): void;
}

export interface DispatchContext {
	db: Db;
	viewerId: string;
	/** The viewer's context, read once and remembered by the object. */
	viewer(): Promise<ViewerContext>;
	/** Drops what the object remembers of its viewer. */
	forgetViewer(): Promise<void>;
}

export async function dispatch(
	ctx: DispatchContext,
	connections: readonly StreamConnection[],
	delivery: StreamDelivery,
): Promise<void> {
	switch (delivery.type) {
		case "status":
			return dispatchStatus(ctx, connections, delivery);
		case "delete":
			return dispatchDelete(ctx, connections, delivery);
		case "notification":
			return dispatchNotification(ctx, connections, delivery);
		case "conversation":
			return dispatchConversation(ctx, connections, delivery);
		case "event":
			if (delivery.event === "filters_changed") await ctx.forgetViewer();
			for (const connection of connections) {
				for (const subscription of connection.subscriptions) {
					if (subscription.key !== "user") continue;
					connection.send({ stream: subscription.label, event: delivery.event, payload: delivery.payload });
				}
			}
			return;
		case "context.changed":
			return ctx.forgetViewer();
		case "kill":
			for (const connection of connections) if (connection.tokenId === delivery.tokenId) connection.close();
			return;
	}
}

type Timeline = "home" | "list" | "public";

interface Target {
	connection: StreamConnection;
	subscription: Subscription;
	timeline: Timeline;
}

function statusTargets(connections: readonly StreamConnection[], delivery: StatusDelivery): Target[] {
	const targets: Target[] = [];
	for (const connection of connections) {
		for (const subscription of connection.subscriptions) {
			const key = subscription.key;
			if (delivery.home && key === "user") targets.push({ connection, subscription, timeline: "home" });
			else if (delivery.home && listIdOf(key)) targets.push({ connection, subscription, timeline: "list" });
			else if (delivery.streams.includes(key)) targets.push({ connection, subscription, timeline: "public" });
		}
	}
	return targets;
}

/** Whether a list shows an entry: its shown author is a member, and a reply passes the list's policy. */
async function listShows(
	ctx: DispatchContext,
	list: ViewerList | undefined,
	entryAuthorId: string,
	status: MastodonStatus,
): Promise<boolean> {
	if (!list?.members.includes(entryAuthorId)) return false;
	const replyTo = status.in_reply_to_account_id;
	if (!replyTo || replyTo === status.account.id) return true;
	switch (list.repliesPolicy) {
		case "none":
			return false;
		case "list":
			return list.members.includes(replyTo);
		case "followed": {
			if (replyTo === ctx.viewerId) return true;
			const [row] = await ctx.db
				.select({ one: sql<number>`1` })
				.from(follows)
				.where(and(eq(follows.accountId, ctx.viewerId), eq(follows.targetAccountId, replyTo)))
				.limit(1);
			return row !== undefined;
		}
	}
}

async function dispatchStatus(
	ctx: DispatchContext,
	connections: readonly StreamConnection[],
	delivery: StatusDelivery,
): Promise<void> {
	const targets = statusTargets(connections, delivery);
	if (targets.length === 0) return;
	const viewer = await ctx.viewer();
	const views = new Map<FilterContext, Promise<MastodonStatus | null>>();
	const viewFor = (context: FilterContext) => {
		let view = views.get(context);
		if (!view) {
			view = renderStatus(ctx, viewer, delivery, context);
			views.set(context, view);
		}
		return view;
	};
	const payloads = new Map<FilterContext, string>();
	for (const target of targets) {
		const context: FilterContext = target.timeline === "public" ? "public" : "home";
		const view = await viewFor(context);
		if (!view) continue;
		const entryAuthorId = delivery.home?.entryAuthorId ?? view.account.id;
		if (target.timeline === "home" && inExclusiveList(viewer, entryAuthorId)) continue;
		if (target.timeline === "list") {
			const list = viewer.lists.find((l) => l.id === listIdOf(target.subscription.key));
			if (!(await listShows(ctx, list, entryAuthorId, view))) continue;
		}
		let payload = payloads.get(context);
		if (payload === undefined) {
			payload = JSON.stringify(view);
			payloads.set(context, payload);
		}
		target.connection.send({ stream: target.subscription.label, event: delivery.event, payload });
	}
}

/** The viewer's copy of the status for one timeline context, or null when that timeline would not show it. */
async function renderStatus(
	ctx: DispatchContext,
	viewer: ViewerContext,
	delivery: StatusDelivery,
	context: FilterContext,
): Promise<MastodonStatus | null> {
	if (!delivery.fresh) {
		const [view] = await loadStatusViews(ctx.db, delivery.config, ctx.viewerId, [delivery.statusId], {
			filterContext: context,
			hideMutedAuthors: true,
		});
		return view ?? null;
	}
	const template = delivery.fresh.status;
	if (template.account.id !== ctx.viewerId && hidesAuthor(viewer, template.account.id)) return null;
	const conversation = delivery.fresh.conversationId ?? template.id;
	const view = freshStatusFor(template, ctx.viewerId, viewer.mutedConversations.includes(conversation));
	const filtered = matchFilters(viewerFilters(viewer, context), {
		id: view.id,
		content: view.content,
		spoilerText: view.spoiler_text,
		mediaDescriptions: view.media_attachments.flatMap((m) => (m.description ? [m.description] : [])),
	});
	if (isHiddenByFilters(filtered)) return null;
	view.filtered = filtered;
	return view;
}

async function dispatchDelete(
	ctx: DispatchContext,
	connections: readonly StreamConnection[],
	delivery: DeleteDelivery,
): Promise<void> {
	let viewer: ViewerContext | null = null;
	for (const connection of connections) {
		for (const subscription of connection.subscriptions) {
			const key = subscription.key;
			const listId = listIdOf(key);
			if (key === "user" || listId) {
				if (listId) viewer ??= await ctx.viewer();
				const list = listId ? viewer?.lists.find((l) => l.id === listId) : undefined;
				for (const entry of delivery.homeEntries) {
					if (listId && !list?.members.includes(entry.entryAuthorId)) continue;
					connection.send({ stream: subscription.label, event: "delete", payload: entry.statusId });
				}
			} else if (delivery.streams.includes(key)) {
				connection.send({ stream: subscription.label, event: "delete", payload: delivery.statusId });
			}
		}
	}
}

async function dispatchNotification(
	ctx: DispatchContext,
	connections: readonly StreamConnection[],
	delivery: NotificationDelivery,
): Promise<void> {
	const targets: { connection: StreamConnection; subscription: Subscription }[] = [];
	for (const connection of connections) {
		for (const subscription of connection.subscriptions) {
			const wants =
				subscription.key === "user:notification" ||
				(subscription.key === "user" && userStreamHasNotifications(connection.scopes));
			if (wants) targets.push({ connection, subscription });
		}
	}
	if (targets.length === 0) return;
	const row = await findNotification(ctx.db, ctx.viewerId, delivery.notificationId);
	if (!row) return;
	const [view] = await loadNotificationViews(ctx.db, delivery.config, ctx.viewerId, [row]);
	if (!view) return;
	const payload = JSON.stringify(view);
	for (const { connection, subscription } of targets) {
		connection.send({ stream: subscription.label, event: "notification", payload });
	}
}

async function dispatchConversation(
	ctx: DispatchContext,
	connections: readonly StreamConnection[],
	delivery: ConversationDelivery,
): Promise<void> {
	const targets = connections.flatMap((connection) =>
		connection.subscriptions.filter((s) => s.key === "direct").map((subscription) => ({ connection, subscription })),
	);
	if (targets.length === 0) return;
	const row = await findConversation(ctx.db, ctx.viewerId, delivery.conversationId);
	if (!row) return;
	const [view] = await conversationViews(ctx.db, delivery.config, ctx.viewerId, [row]);
	if (!view) return;
	const payload = JSON.stringify(view);
	for (const { connection, subscription } of targets) {
		connection.send({ stream: subscription.label, event: "conversation", payload });
	}
}
