import type { ServiceContext } from "../context";
import type { Account, Status } from "../db/schema";
import { findAccount } from "../services/accounts/queries";
import { findStatusById, findStatusByUri } from "../services/portability/lookups";
import { resolveAccountByAcct } from "./actors";
import { fetchAndStoreObject } from "./ingest/fetched-object";

/**
 * Lookups that may reach other servers, packaged for services that run in
 * the jobs queue (imports): the service takes them as functions and never
 * imports federation itself.
 */
export function remoteLookups(ctx: ServiceContext) {
	return {
		/** `user@domain` through WebFinger when unknown or stale; local names resolve here. */
		account: (acct: string): Promise<Account | null> => resolveAccountByAcct(ctx, acct),
		/** A post by URI or URL: stored already, or fetched from its server and stored. */
		async status(uri: string): Promise<Status | null> {
			const stored = await findStatusByUri(ctx.db, uri);
			if (stored) return stored;
			const target = await fetchAndStoreObject(ctx, uri);
			if (target?.kind !== "status") return null;
			return (await findStatusById(ctx.db, target.id)) ?? null;
		},
		accountById: (id: string) => findAccount(ctx.db, id),
	};
}
