import type { ServiceContext } from "../../context";
import { storedTarget, type UrlTarget } from "../../services/search/url-lookup";
import { ActorParseError, parseActor, ResolveError, resolveActorByUri, upsertRemoteAccount } from "../actors";
import { FetchError, fetchActivityPubDocument } from "../fetch";
import { ParseError, parseObject } from "../parse";
import { originOf } from "../parse/values";
import { createRemoteStatus } from "./statuses";

/**
 * Fetches a remote URL once and stores what it names the way the inbox
 * stores what it receives: an actor as an account, a post (from its author's
 * own server) as a status. A document whose id differs from the URL asked
 * for may already be stored under that id. Null when the document is
 * unreachable, unreadable, or neither. Search's `resolve=true` is its caller.
 */
export async function fetchAndStoreObject(ctx: ServiceContext, url: string): Promise<UrlTarget | null> {
	try {
		const { document } = await fetchActivityPubDocument(ctx, url);
		if (document.id !== url) {
			const stored = await storedTarget(ctx, document.id);
			if (stored) return stored;
		}
		const object = parseObject(document);
		if (object.kind === "actor") {
			const actor = parseActor(document);
			if (originOf(actor.uri) === originOf(ctx.config.origin)) return null;
			return { kind: "account", id: (await upsertRemoteAccount(ctx, actor)).id };
		}
		if (object.kind !== "post" || !object.attributedTo) return null;
		// A server speaks only for its own actors' posts.
		if (originOf(object.attributedTo) !== originOf(object.id)) return null;
		const author = await resolveActorByUri(ctx, object.attributedTo);
		if (author.domain === null || author.suspendedAt) return null;
		const status = await createRemoteStatus(ctx, author, object);
		return status.deletedAt ? null : { kind: "status", id: status.id };
	} catch (error) {
		if (
			error instanceof FetchError ||
			error instanceof ParseError ||
			error instanceof ActorParseError ||
			error instanceof ResolveError
		) {
			return null;
		}
		throw error;
	}
}
