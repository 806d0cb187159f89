import { eq } from "drizzle-orm";
import type { InstanceConfig } from "../config";
import type { ServiceContext } from "../context";
import { type Account, accounts } from "../db/schema";
import { newId } from "../lib/ids";
import type { JobMessage } from "../queues/messages";
import { pinDomain } from "../services/instance/domain";

/**
 * The instance actor (an Application at `/actor`), as Mastodon has: it signs
 * fetches no person asked for (actor refreshes, key lookups) and answers
 * authorized-fetch peers. Its username is the instance domain, which sign-up
 * refuses for people. Its keys come from the jobs queue like everyone's.
 */
export function instanceActorUrls(config: InstanceConfig) {
	const uri = `${config.origin}/actor`;
	return {
		uri,
		url: uri,
		inboxUrl: `${uri}/inbox`,
		sharedInboxUrl: `${config.origin}/inbox`,
		outboxUrl: `${uri}/outbox`,
	};
}

export async function findInstanceActor(ctx: ServiceContext): Promise<Account | undefined> {
	const rows = await ctx.db
		.select()
		.from(accounts)
		.where(eq(accounts.uri, instanceActorUrls(ctx.config).uri))
		.limit(1);
	return rows[0];
}

/** Returns the instance actor's row, creating it on first use. Cheap: no key is made here. */
export async function ensureInstanceActor(ctx: ServiceContext): Promise<Account> {
	const existing = await findInstanceActor(ctx);
	if (existing) return existing;
	const now = new Date();
	const id = newId(now);
	await ctx.db.batch([
		ctx.db
			.insert(accounts)
			.values({
				id,
				username: ctx.config.domain,
				domain: null,
				displayName: ctx.config.domain,
				locked: true,
				discoverable: false,
				indexable: false,
				actorType: "Application",
				...instanceActorUrls(ctx.config),
				createdAt: now,
				updatedAt: now,
			})
			.onConflictDoNothing(),
		// Its URI carries the domain, which is therefore on record from now on.
		pinDomain(ctx.db, ctx.config.domain, now),
	]);
	const created = await findInstanceActor(ctx);
	if (!created) throw new Error("Instance actor could not be created");
	if (created.id === id) {
		await ctx.env.JOBS_QUEUE.send({ type: "account.generate_keys", accountId: id } satisfies JobMessage);
	}
	return created;
}
