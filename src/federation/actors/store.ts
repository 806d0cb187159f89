import { and, eq, notInArray } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { type Account, accounts, remotePublicKeys } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { JobMessage } from "../../queues/messages";
import { linksNeedChecking } from "../../services/accounts/link-verification";
import { storedAccountLimits } from "../domain-gates";
import { emojiStatements } from "../ingest/status-parts";
import type { EmojiTag } from "../parse";
import { importPublicKeyPem } from "../signatures";
import type { ActorKey, RemoteActor } from "./parse";
import { safeRemoteHtml, safeRemoteInline } from "./remote-html";

/** Bounds on what a remote server can make Tern store and serve. */
const MAX_DISPLAY_NAME = 255;
const MAX_FIELD_NAME = 255;
const MAX_SUMMARY = 20_000;

export async function findAccountByUri(ctx: ServiceContext, uri: string): Promise<Account | undefined> {
	const rows = await ctx.db.select().from(accounts).where(eq(accounts.uri, uri)).limit(1);
	return rows[0];
}

/** The custom emoji of a profile (in its name, bio and fields), kept like those of posts. */
function actorEmojis(actor: RemoteActor): EmojiTag[] {
	return actor.emojis.map((emoji) => ({
		kind: "emoji",
		shortcode: emoji.shortcode,
		url: emoji.url,
		id: null,
		updated: null,
	}));
}

/** RSA PEMs are imported once here so a key that will never verify is not stored. */
async function usableKeys(keys: ActorKey[]): Promise<ActorKey[]> {
	const out: ActorKey[] = [];
	for (const key of keys) {
		if (key.type === "ed25519") {
			out.push(key);
			continue;
		}
		try {
			const { type } = await importPublicKeyPem(key.publicKey);
			out.push({ ...key, type });
		} catch {
			// A redacted or malformed PEM (seen in the wild): the actor is usable, the key is not.
		}
	}
	return out;
}

/**
 * Inserts or refreshes a remote account from its parsed actor document, and
 * replaces its stored public keys. `domain` is the account's acct domain:
 * the actor's host unless WebFinger confirmed another.
 */
export async function upsertRemoteAccount(
	ctx: ServiceContext,
	actor: RemoteActor,
	domain: string = new URL(actor.uri).host.toLowerCase(),
): Promise<Account> {
	const now = new Date();
	const existing = await ctx.db
		.select({ id: accounts.id, fields: accounts.fields })
		.from(accounts)
		.where(eq(accounts.uri, actor.uri))
		.limit(1);
	const previousFields = existing[0]?.fields ?? [];
	const { limits, rejectMedia } = await storedAccountLimits(ctx, domain);
	const movedTo = actor.movedTo ? await findAccountByUri(ctx, actor.movedTo) : undefined;
	const fields = await Promise.all(
		actor.fields.map(async (field) => ({
			name: field.name.trim().slice(0, MAX_FIELD_NAME),
			value: await safeRemoteInline(field.value),
			verifiedAt: null as string | null,
		})),
	);
	// A link whose value is unchanged keeps its rel="me" verification until the next check.
	for (const field of fields) {
		field.verifiedAt = previousFields.find((old) => old.value === field.value)?.verifiedAt ?? null;
	}
	const profile = {
		username: actor.username,
		// Plain text in ActivityStreams, served as-is (clients escape it).
		displayName: actor.displayName.trim().slice(0, MAX_DISPLAY_NAME),
		note: "",
		noteHtml: await safeRemoteHtml(actor.summaryHtml.slice(0, MAX_SUMMARY)),
		avatarUrl: rejectMedia ? null : actor.avatarUrl,
		headerUrl: rejectMedia ? null : actor.headerUrl,
		fields,
		locked: actor.manuallyApprovesFollowers,
		bot: actor.type === "Service" || actor.type === "Application",
		group: actor.type === "Group",
		discoverable: actor.discoverable,
		indexable: actor.indexable,
		memorial: actor.memorial,
		url: actor.url ?? actor.uri,
		inboxUrl: actor.inbox,
		sharedInboxUrl: actor.sharedInbox,
		outboxUrl: actor.outbox,
		followersUrl: actor.followers,
		followingUrl: actor.following,
		featuredUrl: actor.featured,
		alsoKnownAs: actor.alsoKnownAs,
		movedToAccountId: movedTo?.id ?? null,
		actorType: actor.type,
		fetchedAt: now,
		updatedAt: now,
	};
	const id = existing[0]?.id ?? newId(now);
	const keys = await usableKeys(actor.keys);
	const keyIds = keys.map((key) => key.keyId);
	const write = existing[0]
		? ctx.db
				.update(accounts)
				.set({ ...profile, domain })
				.where(eq(accounts.id, id))
		: ctx.db
				.insert(accounts)
				.values({ id, uri: actor.uri, domain, createdAt: actor.published ?? now, ...profile, ...limits });
	const removeStale = ctx.db
		.delete(remotePublicKeys)
		.where(
			keyIds.length > 0
				? and(eq(remotePublicKeys.accountId, id), notInArray(remotePublicKeys.keyId, keyIds))
				: eq(remotePublicKeys.accountId, id),
		);
	const keyWrites = keys.map((key) =>
		ctx.db
			.insert(remotePublicKeys)
			.values({ keyId: key.keyId, accountId: id, type: key.type, publicKey: key.publicKey, fetchedAt: now })
			.onConflictDoUpdate({
				target: remotePublicKeys.keyId,
				// A key id moves only with its actor (same origin is checked when parsing).
				set: { accountId: id, type: key.type, publicKey: key.publicKey, fetchedAt: now },
			}),
	);
	try {
		await ctx.db.batch([write, removeStale, ...keyWrites, ...emojiStatements(ctx.db, domain, actorEmojis(actor))]);
	} catch (error) {
		// Same username@domain under a new actor id (an account re-created on its server):
		// the newest document owns the handle, as on Mastodon.
		if (!existing[0] && String((error as Error)?.message).includes("accounts.acct_key")) {
			await ctx.db
				.update(accounts)
				.set({ username: `${actor.username}_moved_${id}` })
				.where(eq(accounts.acctKey, `${actor.username.toLowerCase()}@${domain.toLowerCase()}`));
			await ctx.db.batch([write, removeStale, ...keyWrites]);
		} else {
			throw error;
		}
	}
	const stored = await findAccountByUri(ctx, actor.uri);
	if (!stored) throw new Error(`Account ${actor.uri} vanished after upsert`);
	if (linksNeedChecking(stored, previousFields, stored.fields)) {
		await ctx.env.JOBS_QUEUE.send({ type: "account.verify_links", accountId: stored.id } satisfies JobMessage);
	}
	return stored;
}
