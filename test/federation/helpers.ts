import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { serviceContext } from "../../src/context";
import type { Visibility } from "../../src/db/schema";
import { follows, mentions, statuses, statusPins, statusTags, tags } from "../../src/db/schema";
import { signRequest } from "../../src/federation/signatures";
import { loadSigningKeys } from "../../src/federation/signing-keys";
import { newId } from "../../src/lib/ids";
import { ensureAccountKeys } from "../../src/services/accounts/keys";
import { db } from "../helpers/users";

export const AP_ACCEPT = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

export interface StatusInput {
	visibility?: Visibility;
	content?: string;
	mentionIds?: string[];
	tagNames?: string[];
	reblogOfId?: string;
	pinned?: boolean;
	language?: string | null;
	spoilerText?: string;
}

/** Writes a local status straight to D1 (the posting service lives elsewhere). */
export async function insertStatus(author: { id: string; uri: string; username: string }, input: StatusInput = {}) {
	const id = newId();
	const uri = input.reblogOfId ? `${author.uri}/statuses/${id}/activity` : `${author.uri}/statuses/${id}`;
	const [status] = await db()
		.insert(statuses)
		.values({
			id,
			uri,
			url: input.reblogOfId ? null : `https://tern.test/@${author.username}/${id}`,
			accountId: author.id,
			local: true,
			reblogOfId: input.reblogOfId ?? null,
			text: input.content ?? "hello",
			content: input.reblogOfId ? "" : `<p>${input.content ?? "hello"}</p>`,
			spoilerText: input.spoilerText ?? "",
			visibility: input.visibility ?? "public",
			language: input.language === undefined ? "en" : input.language,
			conversationId: id,
			createdAt: new Date(),
		})
		.returning();
	for (const accountId of input.mentionIds ?? []) {
		await db().insert(mentions).values({ statusId: id, accountId });
	}
	for (const name of input.tagNames ?? []) {
		const tagId = newId();
		await db()
			.insert(tags)
			.values({ id: tagId, name: name.toLowerCase(), displayName: name, createdAt: new Date() })
			.onConflictDoNothing();
		const [tag] = await db().select().from(tags).where(eq(tags.name, name.toLowerCase()));
		await db()
			.insert(statusTags)
			.values({ statusId: id, tagId: tag?.id ?? tagId });
	}
	if (input.pinned) await db().insert(statusPins).values({ accountId: author.id, statusId: id, createdAt: new Date() });
	if (!status) throw new Error("insert failed");
	return status;
}

export async function follow(followerId: string, targetId: string) {
	await db()
		.insert(follows)
		.values({ id: newId(), accountId: followerId, targetAccountId: targetId, createdAt: new Date() });
}

/** GETs a path on this instance, optionally signed by a local account (its keys are made if missing). */
export async function fetchDocument(path: string, options: { signAs?: string; accept?: string } = {}) {
	const url = `https://tern.test${path}`;
	const headers = new Headers({ Accept: options.accept ?? AP_ACCEPT });
	if (options.signAs) {
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, options.signAs);
		const keys = await loadSigningKeys(serviceContext(env), options.signAs);
		if (!keys) throw new Error("no keys");
		await signRequest({ method: "GET", url, headers }, keys.rsa);
	}
	return exports.default.fetch(new Request(url, { headers }));
}
