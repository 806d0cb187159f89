import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { type Account, accountKeys, accounts, remotePublicKeys } from "../../db/schema";
import { FetchError, fetchActivityPubDocument } from "../fetch";
import { asString, isObject, refId } from "../parse/values";
import {
	checkSignature,
	importVerificationKey,
	type SignableRequest,
	SignatureError,
	type SignatureSpec,
	type VerificationKey,
} from "../signatures";
import { ed25519KeyId, rsaKeyId } from "../signing-keys";
import { ResolveError, resolveActorByUri } from "./resolve";

/** A stored key is refetched after a failed verification only if it is older than this (limits forged-request amplification). */
const KEY_REFETCH_FLOOR_MS = 5 * 60 * 1000;

interface FoundKey {
	key: VerificationKey;
	account: Account;
	fetchedAt: Date | null;
}

async function findLocalKey(ctx: ServiceContext, keyId: string): Promise<FoundKey | null> {
	const actorUri = keyId.split("#")[0] as string;
	const rows = await ctx.db
		.select({ account: accounts, keys: accountKeys })
		.from(accounts)
		.innerJoin(accountKeys, eq(accountKeys.accountId, accounts.id))
		.where(eq(accounts.uri, actorUri))
		.limit(1);
	const row = rows[0];
	if (!row) return null;
	if (keyId === rsaKeyId(actorUri)) {
		return { key: await importVerificationKey(keyId, row.keys.rsaPublicKeyPem), account: row.account, fetchedAt: null };
	}
	if (keyId === ed25519KeyId(actorUri)) {
		return {
			key: await importVerificationKey(keyId, row.keys.ed25519PublicKeyMultibase),
			account: row.account,
			fetchedAt: null,
		};
	}
	return null;
}

async function findStoredKey(ctx: ServiceContext, keyId: string): Promise<FoundKey | null> {
	if (keyId.startsWith(`${ctx.config.origin}/`)) return findLocalKey(ctx, keyId);
	const rows = await ctx.db
		.select({ key: remotePublicKeys, account: accounts })
		.from(remotePublicKeys)
		.innerJoin(accounts, eq(accounts.id, remotePublicKeys.accountId))
		.where(eq(remotePublicKeys.keyId, keyId))
		.limit(1);
	const row = rows[0];
	if (!row) return null;
	try {
		return {
			key: await importVerificationKey(keyId, row.key.publicKey),
			account: row.account,
			fetchedAt: row.key.fetchedAt,
		};
	} catch {
		return null;
	}
}

/**
 * Finds the actor that owns a key id it has never seen: the key id is usually
 * `actor#main-key`, but may be a separate key document with an `owner`.
 */
async function fetchKeyOwner(ctx: ServiceContext, keyId: string): Promise<void> {
	const withoutFragment = keyId.split("#")[0] as string;
	let ownerUri = withoutFragment;
	if (withoutFragment === keyId) {
		const { document } = await fetchActivityPubDocument(ctx, keyId);
		const owner = refId(document.owner) ?? refId(document.controller);
		if (owner && asString(document.publicKeyPem ?? document.publicKeyMultibase)) ownerUri = owner;
		else if (!isObject(document.publicKey) && !Array.isArray(document.publicKey)) {
			throw new SignatureError(`Key ${keyId} has no owner`);
		}
	}
	await resolveActorByUri(ctx, ownerUri, { refresh: true });
}

/**
 * The key for `keyId` and its owner, fetching the owner when the key is
 * unknown. With `refresh`, the owner is refetched first (key rotation).
 * Null when no actor vouches for the key.
 */
export async function lookUpKey(
	ctx: ServiceContext,
	keyId: string,
	options: { refresh?: boolean } = {},
): Promise<FoundKey | null> {
	if (!options.refresh) {
		const stored = await findStoredKey(ctx, keyId);
		if (stored) return stored;
	}
	if (keyId.startsWith(`${ctx.config.origin}/`)) return findStoredKey(ctx, keyId);
	try {
		await fetchKeyOwner(ctx, keyId);
	} catch (error) {
		if (error instanceof FetchError || error instanceof ResolveError || error instanceof SignatureError) return null;
		throw error;
	}
	return findStoredKey(ctx, keyId);
}

export interface SignedBy {
	/** The account whose key signed the request. */
	account: Account;
	keyId: string;
	spec: SignatureSpec;
}

/**
 * Verifies an incoming request's HTTP signature (either scheme) and returns
 * who signed it. Throws SignatureError (answer 401) when the signature is
 * missing, unacceptable, forged, or its key cannot be found. A stored key
 * that fails is refetched once, in case the actor rotated it.
 * `request.body` must be the exact bytes received.
 */
export async function verifyRequestSignature(ctx: ServiceContext, request: SignableRequest): Promise<SignedBy> {
	const check = await checkSignature(request);
	const cached = verifiedKeys.get(check.keyId);
	if (cached && cached.expires > Date.now()) {
		if (await check.verify(cached.found.key))
			return { account: cached.found.account, keyId: check.keyId, spec: check.spec };
		verifiedKeys.delete(check.keyId);
	}
	let found = await lookUpKey(ctx, check.keyId);
	if (!found) throw new SignatureError(`Could not find the key ${check.keyId}`);
	if (await check.verify(found.key)) return rememberKey(check, found);
	const stale = found.fetchedAt !== null && Date.now() - found.fetchedAt.getTime() > KEY_REFETCH_FLOOR_MS;
	if (stale) {
		found = await lookUpKey(ctx, check.keyId, { refresh: true });
		if (found && (await check.verify(found.key))) return rememberKey(check, found);
	}
	throw new SignatureError("Signature verification failed");
}

/**
 * Keys that verified a signature lately, kept by this isolate: a busy peer
 * delivers many activities in a row, and each would otherwise cost a query
 * and the parsing of a PEM key. A key that stops verifying (rotated) is
 * dropped and looked up again; the signer's account row may be a few minutes
 * old, which only its URI (the signer-is-actor check) is read from.
 */
const VERIFIED_KEY_TTL_MS = 5 * 60 * 1000;
const VERIFIED_KEYS_MAX = 1000;
const verifiedKeys = new Map<string, { found: FoundKey; expires: number }>();

function rememberKey(check: { keyId: string; spec: SignatureSpec }, found: FoundKey): SignedBy {
	if (verifiedKeys.size >= VERIFIED_KEYS_MAX) verifiedKeys.delete(verifiedKeys.keys().next().value as string);
	verifiedKeys.set(check.keyId, { found, expires: Date.now() + VERIFIED_KEY_TTL_MS });
	return { account: found.account, keyId: check.keyId, spec: check.spec };
}

/**
 * True when the signer may act for `actorUri`: an activity signed by one
 * actor's key but naming another actor must be refused (unless it carries a
 * verifiable object proof, which is the inbox's business).
 */
export function signerIsActor(signer: SignedBy, actorUri: string | null | undefined): boolean {
	return typeof actorUri === "string" && signer.account.uri === actorUri;
}
