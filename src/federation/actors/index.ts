/**
 * Remote actors: resolving, caching and key lookup.
 * - resolveActorByUri(ctx, uri, {refresh?})  → Account (fetches when unknown or older than a day)
 * - resolveAccountByAcct(ctx, "user@domain") → Account | null (WebFinger; for search resolve=true)
 * - verifyRequestSignature(ctx, request)     → SignedBy (throws SignatureError → answer 401)
 * - signerIsActor(signedBy, activity.actor)  → refuse activities signed by someone else's key
 * - parseActor(json)                          → RemoteActor (pure; throws ActorParseError)
 */
export { lookUpKey, type SignedBy, signerIsActor, verifyRequestSignature } from "./keys";
export { ActorParseError, parseActor, type RemoteActor } from "./parse";
export { parseAcct, ResolveError, resolveAccountByAcct, resolveActorByUri, webfingerLookup } from "./resolve";
export { findAccountByUri, upsertRemoteAccount } from "./store";
