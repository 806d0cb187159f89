import { and, eq, isNull } from "drizzle-orm";
import { type Account, accounts, blocks, follows, mentions, type Status, statuses } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import { ApiError, notFound } from "../../http/errors";
import type { AppRouter } from "../../http/router";
import { serializeNote, withNoteContext } from "../../serializers/activitypub/note";
import { publicPost } from "../../web/public/post";
import type { SignedBy } from "../actors";
import { buildAnnounce, buildCreate } from "../outbox/activities";
import { loadNoteSources } from "../outbox/note-sources";
import { activityJson, documentRequester, wantsActivityJson } from "./requester";

interface LocalStatus {
	status: Status;
	author: Account;
}

async function findLocalStatus(ctx: AppContext, username: string, id: string): Promise<LocalStatus | undefined> {
	const rows = await ctx.db
		.select({ status: statuses, author: accounts })
		.from(statuses)
		.innerJoin(accounts, eq(accounts.id, statuses.accountId))
		.where(and(eq(statuses.id, id), eq(statuses.local, true), isNull(statuses.deletedAt)))
		.limit(1);
	const row = rows[0];
	if (!row || row.author.username.toLowerCase() !== username.toLowerCase()) return undefined;
	// A suspended author's posts are gone for everyone, as on Mastodon.
	if (row.author.suspendedAt) throw new ApiError(410, "This account is suspended");
	return row;
}

/**
 * Whether the signer of a fetch may see a status: public and unlisted posts
 * anyone may; followers-only posts a follower; direct posts a mentioned
 * account; never someone the author blocks.
 */
export async function mayFetchStatus(ctx: AppContext, found: LocalStatus, signer: SignedBy | null): Promise<boolean> {
	const { status, author } = found;
	const viewer = signer?.account;
	if (viewer && viewer.id === author.id) return true;
	const open = status.visibility === "public" || status.visibility === "unlisted";
	if (!viewer) return open;
	const [blocked, following, mentioned] = await ctx.db.batch([
		ctx.db
			.select({ id: blocks.id })
			.from(blocks)
			.where(and(eq(blocks.accountId, author.id), eq(blocks.targetAccountId, viewer.id)))
			.limit(1),
		ctx.db
			.select({ id: follows.id })
			.from(follows)
			.where(and(eq(follows.accountId, viewer.id), eq(follows.targetAccountId, author.id)))
			.limit(1),
		ctx.db
			.select({ id: mentions.accountId })
			.from(mentions)
			.where(and(eq(mentions.statusId, status.id), eq(mentions.accountId, viewer.id)))
			.limit(1),
	]);
	if (blocked.length > 0) return false;
	if (open) return true;
	if (status.visibility === "private") return following.length > 0 || mentioned.length > 0;
	return mentioned.length > 0;
}

async function visibleStatus(request: AppRequest, ctx: AppContext): Promise<LocalStatus> {
	const signer = await documentRequester(request, ctx);
	const found = await findLocalStatus(ctx, String(request.params.username), String(request.params.id));
	if (!found || !(await mayFetchStatus(ctx, found, signer))) throw notFound();
	return found;
}

async function statusDocument(request: AppRequest, ctx: AppContext): Promise<Response> {
	if (!wantsActivityJson(request)) {
		// Browsers: the post's public page (public and unlisted posts only, no signature involved).
		return publicPost(request, ctx, decodeURIComponent(String(request.params.username)), String(request.params.id));
	}
	const found = await visibleStatus(request, ctx);
	if (found.status.reblogOfId) throw notFound();
	const [source] = await loadNoteSources(ctx.db, [found]);
	if (!source) throw notFound();
	return activityJson(withNoteContext(serializeNote(source, ctx.config)));
}

export function statusDocumentRoutes(router: AppRouter): void {
	router.get("/users/:username/statuses/:id", statusDocument);
	router.get("/@:username/:id", statusDocument);

	router.get("/users/:username/statuses/:id/activity", async (request, ctx) => {
		const found = await visibleStatus(request, ctx);
		if (found.status.reblogOfId) {
			const rows = await ctx.db
				.select({ uri: statuses.uri, authorUri: accounts.uri })
				.from(statuses)
				.innerJoin(accounts, eq(accounts.id, statuses.accountId))
				.where(and(eq(statuses.id, found.status.reblogOfId), isNull(statuses.deletedAt)))
				.limit(1);
			const original = rows[0];
			if (!original) throw notFound();
			return activityJson(
				buildAnnounce({
					boost: found.status,
					booster: found.author,
					objectUri: original.uri,
					objectAuthorUri: original.authorUri,
				}),
			);
		}
		const [source] = await loadNoteSources(ctx.db, [found]);
		if (!source) throw notFound();
		return activityJson(buildCreate(source, ctx.config));
	});
}
