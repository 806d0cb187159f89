import { and, asc, count, desc, eq, gt, inArray, isNull, lt } from "drizzle-orm";
import { type Account, accounts, follows, statuses, statusPins } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import { notFound } from "../../http/errors";
import type { AppRouter } from "../../http/router";
import { featuredTagsCollectionUrl } from "../../serializers/activitypub/actor";
import {
	orderedCollection,
	orderedCollectionPage,
	unorderedCollection,
} from "../../serializers/activitypub/collection";
import { HASHTAG_CONTEXT, NOTE_CONTEXT } from "../../serializers/activitypub/context";
import { serializeFeaturedHashtag } from "../../serializers/activitypub/hashtag";
import { serializeNote } from "../../serializers/activitypub/note";
import { listFeaturedTags } from "../../services/tags/featured";
import { ensureInstanceActor } from "../instance-actor";
import { buildAnnounce, buildCreate } from "../outbox/activities";
import { loadNoteSources } from "../outbox/note-sources";
import { findLocalActor } from "./actors";
import { activityJson, documentRequester } from "./requester";

export const OUTBOX_PAGE_SIZE = 20;
export const FOLLOWS_PAGE_SIZE = 40;
const FEATURED_LIMIT = 20;
const PUBLIC_VISIBILITIES = ["public", "unlisted"] as const;

async function owner(request: AppRequest, ctx: AppContext): Promise<Account> {
	// Collections look the same to every reader, so the signer only matters when one is required.
	if (ctx.config.authorizedFetch) await documentRequester(request, ctx);
	const row = await findLocalActor(ctx, String(request.params.username));
	if (!row || row.account.actorType === "Application") throw notFound("Account not found");
	return row.account;
}

function isId(value: string | null): value is string {
	return value !== null && /^\d{1,20}$/.test(value);
}

/** The Create and Announce activities of an account's public and unlisted posts, newest first, by id window. */
async function outboxPage(ctx: AppContext, account: Account, url: URL) {
	const maxId = url.searchParams.get("max_id");
	const minId = url.searchParams.get("min_id");
	const ascending = isId(minId);
	const conditions = [
		eq(statuses.accountId, account.id),
		isNull(statuses.deletedAt),
		inArray(statuses.visibility, [...PUBLIC_VISIBILITIES]),
	];
	if (isId(maxId)) conditions.push(lt(statuses.id, maxId));
	if (ascending) conditions.push(gt(statuses.id, minId));
	const rows = await ctx.db
		.select()
		.from(statuses)
		.where(and(...conditions))
		.orderBy(ascending ? asc(statuses.id) : desc(statuses.id))
		.limit(OUTBOX_PAGE_SIZE);
	if (ascending) rows.reverse();

	const originalIds = rows.map((s) => s.reblogOfId).filter((id): id is string => id !== null);
	const originals =
		originalIds.length > 0
			? await ctx.db
					.select({ id: statuses.id, uri: statuses.uri, visibility: statuses.visibility, authorUri: accounts.uri })
					.from(statuses)
					.innerJoin(accounts, eq(accounts.id, statuses.accountId))
					.where(and(inArray(statuses.id, originalIds), isNull(statuses.deletedAt)))
			: [];
	const originalsById = new Map(originals.map((o) => [o.id, o]));
	const sources = await loadNoteSources(
		ctx.db,
		rows.filter((s) => !s.reblogOfId).map((status) => ({ status, author: account })),
	);
	const sourcesById = new Map(sources.map((s) => [s.status.id, s]));
	const items = rows.flatMap((status): Record<string, unknown>[] => {
		if (status.reblogOfId) {
			const original = originalsById.get(status.reblogOfId);
			if (!original || !(PUBLIC_VISIBILITIES as readonly string[]).includes(original.visibility)) return [];
			const { "@context": _context, ...announce } = buildAnnounce({
				boost: status,
				booster: account,
				objectUri: original.uri,
				objectAuthorUri: original.authorUri,
			});
			return [announce];
		}
		const source = sourcesById.get(status.id);
		if (!source) return [];
		const { "@context": _context, ...create } = buildCreate(source, ctx.config);
		return [create];
	});

	const base = account.outboxUrl ?? `${account.uri}/outbox`;
	const newest = rows[0]?.id;
	const oldest = rows[rows.length - 1]?.id;
	return orderedCollectionPage(url.href, base, items, {
		context: NOTE_CONTEXT,
		next: oldest && rows.length === OUTBOX_PAGE_SIZE ? `${base}?max_id=${oldest}&page=true` : null,
		prev: newest ? `${base}?min_id=${newest}&page=true` : null,
	});
}

async function outbox(request: AppRequest, ctx: AppContext, account: Account): Promise<Response> {
	const url = new URL(request.url);
	const base = account.outboxUrl ?? `${account.uri}/outbox`;
	if (url.searchParams.get("page") === "true") return activityJson(await outboxPage(ctx, account, url));
	return activityJson(
		orderedCollection(base, account.statusesCount, {
			first: `${base}?page=true`,
			last: `${base}?min_id=0&page=true`,
		}),
	);
}

/** Followers or following: actor URIs, numbered pages of 40, oldest follow first. */
async function followCollection(request: AppRequest, ctx: AppContext, direction: "followers" | "following") {
	const account = await owner(request, ctx);
	const base = direction === "followers" ? account.followersUrl : account.followingUrl;
	const id = base ?? `${account.uri}/${direction}`;
	const mine = direction === "followers" ? follows.targetAccountId : follows.accountId;
	const other = direction === "followers" ? follows.accountId : follows.targetAccountId;
	const url = new URL(request.url);
	const pageText = url.searchParams.get("page");
	const page = pageText && /^\d{1,6}$/.test(pageText) ? Math.max(1, Number(pageText)) : null;
	if (page === null || account.hideCollections) {
		const [total] = await ctx.db.select({ n: count() }).from(follows).where(eq(mine, account.id));
		return activityJson(orderedCollection(id, total?.n ?? 0, account.hideCollections ? {} : { first: `${id}?page=1` }));
	}
	const [total, rows] = await ctx.db.batch([
		ctx.db.select({ n: count() }).from(follows).where(eq(mine, account.id)),
		ctx.db
			.select({ uri: accounts.uri })
			.from(follows)
			.innerJoin(accounts, eq(accounts.id, other))
			.where(eq(mine, account.id))
			.orderBy(asc(follows.id))
			.limit(FOLLOWS_PAGE_SIZE)
			.offset((page - 1) * FOLLOWS_PAGE_SIZE),
	]);
	const totalItems = total[0]?.n ?? 0;
	return activityJson(
		orderedCollectionPage(
			`${id}?page=${page}`,
			id,
			rows.map((row) => row.uri),
			{
				totalItems,
				next: page * FOLLOWS_PAGE_SIZE < totalItems ? `${id}?page=${page + 1}` : null,
				prev: page > 1 ? `${id}?page=${page - 1}` : null,
			},
		),
	);
}

/** Pinned public and unlisted posts, inline as Mastodon serves them. */
async function featured(request: AppRequest, ctx: AppContext): Promise<Response> {
	const account = await owner(request, ctx);
	const rows = await ctx.db
		.select({ status: statuses })
		.from(statusPins)
		.innerJoin(statuses, eq(statuses.id, statusPins.statusId))
		.where(
			and(
				eq(statusPins.accountId, account.id),
				isNull(statuses.deletedAt),
				inArray(statuses.visibility, [...PUBLIC_VISIBILITIES]),
			),
		)
		.orderBy(desc(statusPins.createdAt))
		.limit(FEATURED_LIMIT);
	const sources = await loadNoteSources(
		ctx.db,
		rows.map(({ status }) => ({ status, author: account })),
	);
	const id = account.featuredUrl ?? `${account.uri}/collections/featured`;
	return activityJson(
		orderedCollection(id, sources.length, {
			context: NOTE_CONTEXT,
			orderedItems: sources.map((source) => serializeNote(source, ctx.config)),
		}),
	);
}

/** The hashtags the account features on its profile (toot:featuredTags). */
async function featuredTagsCollection(request: AppRequest, ctx: AppContext): Promise<Response> {
	const account = await owner(request, ctx);
	const rows = await listFeaturedTags(ctx.db, account.id);
	return activityJson(
		unorderedCollection(
			featuredTagsCollectionUrl(account),
			rows.map((row) => serializeFeaturedHashtag(row.featured, row.tag, account, ctx.config)),
			HASHTAG_CONTEXT,
		),
	);
}

export function collectionRoutes(router: AppRouter): void {
	router.get("/users/:username/outbox", async (request, ctx) => outbox(request, ctx, await owner(request, ctx)));
	router.get("/actor/outbox", async (request, ctx) => outbox(request, ctx, await ensureInstanceActor(ctx)));
	router.get("/users/:username/followers", (request, ctx) => followCollection(request, ctx, "followers"));
	router.get("/users/:username/following", (request, ctx) => followCollection(request, ctx, "following"));
	router.get("/users/:username/collections/featured", featured);
	router.get("/users/:username/collections/tags", featuredTagsCollection);
}
