import { eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { type Account, accountKeys, accounts, type Status, statuses } from "../../db/schema";
import { serializeActor } from "../../serializers/activitypub/actor";
import { ACTIVITYSTREAMS, NOTE_CONTEXT } from "../../serializers/activitypub/context";
import { buildAnnounce, buildCreate } from "./activities";
import { loadNoteSources } from "./note-sources";

/**
 * The ActivityPub documents of a member's archive, as Mastodon's backup
 * writes them: one Create (or Announce, for a boost) per post without its
 * @context, attachment URLs turned into paths inside the archive, and the
 * actor with its avatar, header and collections pointing at archive files.
 * Services take these as functions; they never import federation.
 */

/** Where an uploaded file sits in the archive: its storage key, as Mastodon uses its path under /system/. */
export function archivePathOfUrl(url: string, origin: string): string | null {
	const prefix = `${origin}/media/`;
	return url.startsWith(prefix) ? url.slice(prefix.length) : null;
}

export async function archiveOutboxItems(
	ctx: ServiceContext,
	account: Account,
	rows: Status[],
): Promise<Record<string, unknown>[]> {
	const originalIds = rows.map((s) => s.reblogOfId).filter((id): id is string => id !== null);
	const originals =
		originalIds.length > 0
			? await ctx.db
					.select({ id: statuses.id, uri: statuses.uri, authorUri: accounts.uri })
					.from(statuses)
					.innerJoin(accounts, eq(accounts.id, statuses.accountId))
					.where(inArray(statuses.id, originalIds))
			: [];
	const originalsById = new Map(originals.map((o) => [o.id, o]));
	const sources = await loadNoteSources(
		ctx.db,
		rows.filter((s) => !s.reblogOfId).map((status) => ({ status, author: account })),
	);
	const sourcesById = new Map(sources.map((s) => [s.status.id, s]));
	return rows.flatMap((status): Record<string, unknown>[] => {
		if (status.reblogOfId) {
			const original = originalsById.get(status.reblogOfId);
			if (!original) return [];
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
		const note = create.object as Record<string, unknown>;
		const attachments = (note.attachment as { url: string }[] | undefined) ?? [];
		note.attachment = attachments.map((attachment) => ({
			...attachment,
			url: archivePathOfUrl(attachment.url, ctx.config.origin) ?? attachment.url,
		}));
		return [create];
	});
}

function extension(url: string): string {
	const match = /\.([a-z0-9]{1,5})$/i.exec(new URL(url).pathname);
	return match ? `.${match[1]?.toLowerCase()}` : "";
}

export interface ArchiveActor {
	document: Record<string, unknown>;
	/** Profile images stored here, with the name each gets in the archive. */
	images: { key: string; name: string }[];
}

export async function archiveActor(ctx: ServiceContext, account: Account): Promise<ArchiveActor> {
	const [keys, moved] = await ctx.db.batch([
		ctx.db.select().from(accountKeys).where(eq(accountKeys.accountId, account.id)).limit(1),
		ctx.db
			.select({ uri: accounts.uri })
			.from(accounts)
			.where(eq(accounts.id, account.movedToAccountId ?? ""))
			.limit(1),
	]);
	const document: Record<string, unknown> = {
		...serializeActor(account, keys[0] ?? null, ctx.config, { movedToUri: moved[0]?.uri ?? null }),
	};
	const images: { key: string; name: string }[] = [];
	for (const [field, base] of [
		["icon", "avatar"],
		["image", "header"],
	] as const) {
		const image = document[field] as { url: string } | undefined;
		if (!image) continue;
		const key = archivePathOfUrl(image.url, ctx.config.origin);
		const name = `${base}${extension(image.url)}`;
		if (key) images.push({ key, name });
		document[field] = { ...image, url: name };
	}
	document.outbox = "outbox.json";
	document.likes = "likes.json";
	document.bookmarks = "bookmarks.json";
	return { document, images };
}

/** The skeleton Mastodon gives the archive's collections (the outbox with the context its items need). */
export function archiveCollection(id: string, totalItems?: number) {
	return {
		"@context": id === "outbox.json" ? NOTE_CONTEXT : ACTIVITYSTREAMS,
		id,
		type: "OrderedCollection",
		...(totalItems === undefined ? {} : { totalItems }),
		orderedItems: [] as unknown[],
	};
}

/** Everything the archive export needs from federation, bound to a context. */
export function archiveFormat(ctx: ServiceContext) {
	return {
		outboxItems: (account: Account, rows: Status[]) => archiveOutboxItems(ctx, account, rows),
		actor: (account: Account) => archiveActor(ctx, account),
		collection: archiveCollection,
	};
}
