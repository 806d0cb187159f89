import type { ServiceContext } from "../../context";
import { fetchActivityPubDocument } from "../fetch";
import { type ParsedActivity, type ParsedObject, parseObject } from "../parse";
import { originOf } from "../parse/values";

/**
 * The activity's object as far as it can be trusted: an inline object on the
 * actor's own origin is used as sent; one from another origin (or only an
 * id) is fetched from its origin, since the actor cannot speak for it.
 */
export async function trustedObject(ctx: ServiceContext, activity: ParsedActivity): Promise<ParsedObject | null> {
	const inline = activity.object;
	const inlineId = inline && "id" in inline ? inline.id : null;
	if (inline && inlineId && originOf(inlineId) === originOf(activity.actor)) return inline;
	const id = inlineId ?? activity.objectId;
	if (!id) return null;
	return fetchObject(ctx, id);
}

/** Fetches and parses a remote object; null when it is gone or unreadable. */
export async function fetchObject(ctx: ServiceContext, uri: string): Promise<ParsedObject | null> {
	try {
		const { document } = await fetchActivityPubDocument(ctx, uri);
		return parseObject(document);
	} catch (error) {
		console.warn(`Could not fetch ${uri}: ${(error as Error).message}`);
		return null;
	}
}
