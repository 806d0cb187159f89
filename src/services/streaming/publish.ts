import { type InstanceConfig, instanceConfig } from "../../config";
import type { Db } from "../../db/client";
import type { Status } from "../../db/schema";
import { loadStatusViews } from "../statuses/views";
import {
	liveAccountsQuery,
	liveFeedAccounts,
	liveHomeAccountsQuery,
	markedRows,
	type PublicAudienceRow,
} from "./audience";
import type { AccountStreamStub, StatusAudience, StatusDelivery, StreamDelivery } from "./events";

/**
 * The publish points: each is called after the batch that stored what the
 * event is about, reads who is listening from that batch's results (see
 * audience.ts), and hands each listening account's streaming object one
 * delivery. Nothing here throws: a stream that misses an event is a client
 * that refreshes, never a failed post.
 */

export type StreamEnv = Pick<Env, "ACCOUNT_STREAMS">;

export interface StreamContext {
	env: StreamEnv;
	db: Db;
	config: InstanceConfig;
}

export function streamOf(env: StreamEnv, accountId: string): AccountStreamStub {
	return env.ACCOUNT_STREAMS.get(env.ACCOUNT_STREAMS.idFromName(accountId)) as unknown as AccountStreamStub;
}

/** Waits for deliveries; a failed one is logged, never thrown. */
export async function settleDeliveries(sent: Promise<void>[]): Promise<void> {
	for (const outcome of await Promise.allSettled(sent)) {
		if (outcome.status === "rejected") console.error("Streaming delivery failed", outcome.reason);
	}
}

/**
 * Up to this many listening accounts, a publish point calls each object
 * itself (each call is CPU the request spends); beyond, it hands the
 * whole list to the first account's object to forward (AccountStream.fanOut),
 * one call, so a post with many listening followers stays within the Free
 * plan's 10 ms. Either way each account's object gets one request per event.
 */
export const DIRECT_DELIVERIES = 4;

/** Sends each delivery to its account's object; failures are logged. */
export async function deliverToStreams(env: StreamEnv, deliveries: Iterable<[string, StreamDelivery]>): Promise<void> {
	const list = [...deliveries];
	const [first] = list;
	const sent =
		first && list.length > DIRECT_DELIVERIES
			? [streamOf(env, first[0]).fanOut(first[0], list)]
			: list.map(([accountId, delivery]) => streamOf(env, accountId).deliver(accountId, delivery));
	await settleDeliveries(sent);
}

function guarded(what: string, work: () => Promise<void>): Promise<void> {
	return work().catch((error) => console.error(`Streaming ${what} failed`, error));
}

/** Groups home recipients and public subscribers by account. */
function audiences(home: readonly string[], entryAuthorId: string, publicRows: readonly PublicAudienceRow[]) {
	const byAccount = new Map<string, StatusAudience>();
	const of = (accountId: string) => {
		let audience = byAccount.get(accountId);
		if (!audience) {
			audience = { home: null, streams: [] };
			byAccount.set(accountId, audience);
		}
		return audience;
	};
	for (const accountId of home) of(accountId).home = { entryAuthorId };
	for (const row of publicRows) of(row.account_id).streams.push(row.stream);
	return byAccount;
}

/**
 * After the batch that stored a new post or boost (local or remote): an
 * `update` for every listening account that got it in its home feed or
 * subscribes to one of its public or hashtag streams. A new post is rendered
 * once, anonymously; each object derives its own viewer's copy. A boost is
 * rendered by each object, since the boosted post may carry the viewer's
 * favourite or bookmark.
 */
export function streamNewStatus(
	ctx: StreamContext,
	status: Pick<Status, "id" | "accountId" | "reblogOfId" | "conversationId">,
	statements: readonly object[],
	results: readonly unknown[],
): Promise<void> {
	return guarded("a new status", async () => {
		const home = liveFeedAccounts(statements, results);
		const publicRows = markedRows("public", statements, results);
		await streamStatusTo(ctx, status, home, publicRows);
	});
}

/** The queued fan-out's part: followers who got the entry page by page and are listening. */
export function streamFeedEntries(
	ctx: StreamContext,
	status: Pick<Status, "id" | "accountId" | "reblogOfId" | "conversationId">,
	accountIds: readonly string[],
): Promise<void> {
	return guarded("a queued fan-out page", () => streamStatusTo(ctx, status, accountIds, []));
}

async function streamStatusTo(
	ctx: StreamContext,
	status: Pick<Status, "id" | "accountId" | "reblogOfId" | "conversationId">,
	home: readonly string[],
	publicRows: readonly PublicAudienceRow[],
): Promise<void> {
	if (home.length === 0 && publicRows.length === 0) return;
	let fresh: StatusDelivery["fresh"] = null;
	if (!status.reblogOfId) {
		const [view] = await loadStatusViews(ctx.db, ctx.config, null, [status.id], { unchecked: true });
		if (!view) return;
		fresh = { status: view, conversationId: status.conversationId };
	}
	const byAccount = audiences(home, status.accountId, publicRows);
	await deliverToStreams(
		ctx.env,
		[...byAccount].map(([accountId, audience]): [string, StreamDelivery] => [
			accountId,
			{ type: "status", event: "update", statusId: status.id, fresh, config: ctx.config, ...audience },
		]),
	);
}

/**
 * After the batch that stored an edit: a `status.update` for every listening
 * account with the post in its home feed or on one of its public or hashtag
 * streams. Each object renders the post for its account (an edit can come
 * long after viewers favourited or bookmarked it).
 */
export function streamStatusEdit(
	ctx: StreamContext,
	status: Pick<Status, "id" | "accountId">,
	statements: readonly object[],
	results: readonly unknown[],
): Promise<void> {
	return guarded("an edit", async () => {
		const home = markedRows("entries", statements, results).map((row) => row.account_id);
		const byAccount = audiences(home, status.accountId, markedRows("public", statements, results));
		await deliverToStreams(
			ctx.env,
			[...byAccount].map(([accountId, audience]): [string, StreamDelivery] => [
				accountId,
				{ type: "status", event: "status.update", statusId: status.id, fresh: null, config: ctx.config, ...audience },
			]),
		);
	});
}

/**
 * After the batch that deleted a post or a boost: a `delete` for every
 * listening account that had it (or a boost of it) in its home feed, and for
 * the subscribers of the public and hashtag streams it was on.
 */
export function streamDeletion(
	ctx: StreamContext,
	statusId: string,
	statements: readonly object[],
	results: readonly unknown[],
): Promise<void> {
	return guarded("a deletion", async () => {
		const deliveries = new Map<string, Extract<StreamDelivery, { type: "delete" }>>();
		const of = (accountId: string) => {
			let delivery = deliveries.get(accountId);
			if (!delivery) {
				delivery = { type: "delete", statusId, homeEntries: [], streams: [] };
				deliveries.set(accountId, delivery);
			}
			return delivery;
		};
		for (const row of markedRows("entries", statements, results)) {
			of(row.account_id).homeEntries.push({ statusId: row.status_id, entryAuthorId: row.author_id });
		}
		for (const row of markedRows("public", statements, results)) of(row.account_id).streams.push(row.stream);
		await deliverToStreams(ctx.env, deliveries);
	});
}

/** New notifications whose recipients are listening (the insert said so); each object renders its own. */
export function streamNotifications(
	env: Env | StreamEnv,
	live: readonly { id: string; accountId: string }[],
): Promise<void> {
	if (live.length === 0) return Promise.resolve();
	return guarded("notifications", async () => {
		const config = instanceConfig(env as Env);
		await deliverToStreams(
			env,
			live.map(({ id, accountId }): [string, StreamDelivery] => [
				accountId,
				{ type: "notification", notificationId: id, config },
			]),
		);
	});
}

/** Updated direct conversations whose owners stream direct messages (the upsert said so). */
export function streamConversations(
	ctx: StreamContext,
	live: readonly { id: string; accountId: string }[],
): Promise<void> {
	if (live.length === 0) return Promise.resolve();
	return guarded("conversations", () =>
		deliverToStreams(
			ctx.env,
			live.map(({ id, accountId }): [string, StreamDelivery] => [
				accountId,
				{ type: "conversation", conversationId: id, config: ctx.config },
			]),
		),
	);
}

/**
 * Tells the objects of listening accounts that what they remember of their
 * viewer (filters, blocks, mutes, lists, muted conversations) changed; a
 * filters change is also announced to the client as `filters_changed`.
 */
export function streamViewerChanged(
	ctx: Pick<StreamContext, "env" | "db">,
	accountIds: readonly string[],
	options: { filters?: boolean } = {},
): Promise<void> {
	if (accountIds.length === 0) return Promise.resolve();
	return guarded("a viewer change", async () => {
		const live = await liveAccountsQuery(ctx.db, accountIds);
		const sends: [string, StreamDelivery][] = [];
		for (const { account_id } of live) {
			sends.push([account_id, { type: "context.changed" }]);
			if (options.filters) sends.push([account_id, { type: "event", event: "filters_changed" }]);
		}
		await deliverToStreams(ctx.env, sends);
	});
}

/** An announcement event for every account with its home stream open, as Mastodon sends them. */
export function streamToAllHomes(
	ctx: Pick<StreamContext, "env" | "db">,
	event: "announcement" | "announcement.reaction" | "announcement.delete",
	payload: string,
): Promise<void> {
	return guarded(event, async () => {
		const live = await liveHomeAccountsQuery(ctx.db);
		await deliverToStreams(
			ctx.env,
			live.map(({ account_id }): [string, StreamDelivery] => [account_id, { type: "event", event, payload }]),
		);
	});
}

/** Closes the connections opened with a token that was just revoked. */
export function streamTokenRevoked(
	ctx: Pick<StreamContext, "env" | "db">,
	accountId: string,
	tokenId: string,
): Promise<void> {
	return guarded("a token revocation", async () => {
		const live = await liveAccountsQuery(ctx.db, [accountId]);
		if (live.length > 0) await deliverToStreams(ctx.env, [[accountId, { type: "kill", tokenId }]]);
	});
}
