import { and, eq, isNull } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { type Account, accounts, type Status, statuses } from "../../db/schema";

export function isLocalUri(config: InstanceConfig, uri: string): boolean {
	return uri.startsWith(`${config.origin}/`);
}

/** A local account addressed by its actor URI; undefined for anything else. */
export async function findLocalAccountByUri(db: Db, uri: string): Promise<Account | undefined> {
	const rows = await db
		.select()
		.from(accounts)
		.where(and(eq(accounts.uri, uri), isNull(accounts.domain)))
		.limit(1);
	return rows[0];
}

/** A status by its ActivityPub id (or its URL, which some servers send instead), not deleted. */
export async function findStatusByUri(db: Db, uri: string): Promise<Status | undefined> {
	const rows = await db
		.select()
		.from(statuses)
		.where(and(eq(statuses.uri, uri), isNull(statuses.deletedAt)))
		.limit(1);
	return rows[0];
}
