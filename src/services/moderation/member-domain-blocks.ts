import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { PageQuery } from "../../db/queries/page";
import { newestFirst, pageWindow } from "../../db/queries/page";
import { sqlRun } from "../../db/queries/raw";
import { type Account, accountDomainBlocks } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { ModerationContext } from "./context";
import { hostWithoutPort } from "./domain-policy";
import { severRelationships } from "./severance";

/**
 * A member's own block of a whole server (`/api/v1/domain_blocks`), as
 * Mastodon's AfterBlockDomainFromAccountService: the domain's posts leave the
 * member's timelines and its notifications go, the member's follows there end
 * (with an Undo), its followers there are removed (with a Reject), pending
 * requests are refused, and the member is told what was severed.
 */
export function memberDomain(input: string, config: { domain: string }): string {
	const domain = input
		.trim()
		.toLowerCase()
		.replace(/^https?:\/\//, "")
		.replace(/\/.*$/, "");
	if (!domain || domain.length > 253 || !/^[a-z0-9.-]+(:\d{1,5})?$/.test(domain)) {
		throw new ValidationError("domain", "Domain is not a valid host name");
	}
	if (hostWithoutPort(domain) === hostWithoutPort(config.domain)) {
		throw new ValidationError("domain", "You cannot block your own domain");
	}
	return domain;
}

export async function blockDomainForMember(ctx: ModerationContext, member: Account, input: string): Promise<void> {
	const domain = memberDomain(input, ctx.config);
	const now = new Date();
	const [inserted] = await ctx.db.batch([
		ctx.db
			.insert(accountDomainBlocks)
			.values({ id: newId(now), accountId: member.id, domain, createdAt: now })
			.onConflictDoNothing()
			.returning({ id: accountDomainBlocks.id }),
		sqlRun(
			ctx.db,
			sql`delete from notifications where account_id = ${member.id}
			and from_account_id in (select id from accounts where domain = ${domain})`,
		),
		sqlRun(
			ctx.db,
			sql`delete from home_feed where account_id = ${member.id}
			and author_id in (select id from accounts where domain = ${domain})`,
		),
	]);
	if (inserted.length === 0) return;
	await severRelationships(ctx.db, {
		type: "user_domain_block",
		targetName: domain,
		remoteWhere: sql`r.domain = ${domain}`,
		localAccountId: member.id,
		at: now,
		// The far side is told: the member's follows are undone, its followers' follows rejected.
		alsoWrite: (severed) =>
			[...severed.follows, ...severed.requests].flatMap((follow) => {
				const pair = { accountId: follow.accountId, targetAccountId: follow.targetAccountId };
				if (!follow.localFollows) {
					return [publishOutboxEvent(ctx.db, { type: "follow.rejected", ...pair, uri: follow.uri })];
				}
				return follow.uri ? [publishOutboxEvent(ctx.db, { type: "follow.undone", ...pair, uri: follow.uri })] : [];
			}),
	});
}

export async function unblockDomainForMember(ctx: ModerationContext, member: Account, input: string): Promise<void> {
	const domain = memberDomain(input, ctx.config);
	await ctx.db
		.delete(accountDomainBlocks)
		.where(and(eq(accountDomainBlocks.accountId, member.id), eq(accountDomainBlocks.domain, domain)));
}

/** A page of the member's blocked domains, newest first, paged by block id. */
export async function memberDomainBlocksPage(
	db: Db,
	accountId: string,
	query: PageQuery,
): Promise<{ id: string; domain: string }[]> {
	const window = pageWindow(accountDomainBlocks.id, query);
	const rows = await db
		.select({ id: accountDomainBlocks.id, domain: accountDomainBlocks.domain })
		.from(accountDomainBlocks)
		.where(and(eq(accountDomainBlocks.accountId, accountId), ...window.where))
		.orderBy(window.orderBy)
		.limit(query.limit);
	return newestFirst(rows, query);
}
