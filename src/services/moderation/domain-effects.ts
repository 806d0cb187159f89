import { type SQL, sql } from "drizzle-orm";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import type { DomainBlock } from "../../db/schema";
import type { ModerationContext } from "./context";
import { severRelationships } from "./severance";

/**
 * What domain blocks do to what is already stored, as Mastodon's
 * BlockDomainService: the accounts of each domain and its subdomains are
 * silenced or suspended with the block's own timestamp (so lifting it undoes
 * exactly what it did), a suspension severs their follows with local members
 * (who are told), and rejected media and emojis stop being shown. Later
 * arrivals get the same treatment where they are stored (the remote-account
 * and post ingest doors). Works on many blocks at once in a fixed number of
 * statements, so a whole imported blocklist applies in one request.
 */

/** `column`'s host (without port) is one of the JSON list's domains or a subdomain of one. */
export function domainInListSql(column: SQL, domains: string[]): SQL {
	const host = sql`(case when instr(${column}, ':') > 0 then substr(${column}, 1, instr(${column}, ':') - 1) else ${column} end)`;
	return sql`exists (select 1 from json_each(${JSON.stringify(domains)}) dl
		where ${host} = dl.value or substr(${host}, -length(dl.value) - 1) = '.' || dl.value)`;
}

const accountDomain = sql.raw("accounts.domain");

export async function applyDomainBlocks(ctx: ModerationContext, blocks: DomainBlock[]): Promise<void> {
	const { db } = ctx;
	const statements = [];
	for (const [severity, column] of [
		["silence", "silenced_at"],
		["suspend", "suspended_at"],
	] as const) {
		// Grouped by timestamp: each account keeps the time of the block that limited it.
		const byTime = new Map<number, string[]>();
		for (const block of blocks.filter((b) => b.severity === severity)) {
			byTime.set(block.createdAt.getTime(), [...(byTime.get(block.createdAt.getTime()) ?? []), block.domain]);
		}
		for (const [at, domains] of byTime) {
			const origin = severity === "suspend" ? sql`, suspension_origin = 'local'` : sql``;
			statements.push(
				sqlRun(
					db,
					sql`update accounts set ${sql.raw(column)} = ${at}${origin}
					where ${sql.raw(column)} is null and domain is not null and ${domainInListSql(accountDomain, domains)}`,
				),
			);
		}
	}
	const rejecting = blocks.filter((b) => b.rejectMedia || b.severity === "suspend").map((b) => b.domain);
	if (rejecting.length > 0) statements.push(...rejectMediaStatements(ctx, rejecting));
	const [first, ...rest] = statements;
	if (first) await db.batch([first, ...rest]);
	await severSuspendedDomains(
		ctx,
		blocks.filter((b) => b.severity === "suspend").map((b) => b.domain),
	);
}

/** `column`'s host (without port) is `value` (an SQL expression) or a subdomain of it. */
function hostIs(column: SQL, value: SQL): SQL {
	const host = sql`(case when instr(${column}, ':') > 0 then substr(${column}, 1, instr(${column}, ':') - 1) else ${column} end)`;
	return sql`(${host} = ${value} or substr(${host}, -length(${value}) - 1) = '.' || ${value})`;
}

/** Severs follows with each newly suspended domain that has any, one severance event per domain. */
async function severSuspendedDomains(ctx: ModerationContext, domains: string[]): Promise<void> {
	if (domains.length === 0) return;
	const related = (table: "follows" | "follow_requests", remote: "account_id" | "target_account_id") => {
		const local = remote === "account_id" ? "target_account_id" : "account_id";
		return sql`exists (select 1 from ${sql.raw(table)} f join accounts r on r.id = f.${sql.raw(remote)}
			join accounts l on l.id = f.${sql.raw(local)}
			where l.domain is null and r.domain is not null and ${hostIs(sql.raw("r.domain"), sql.raw("dl.value"))})`;
	};
	// One query finds the few domains with follows here, so a long imported list costs no more.
	const withFollows = await sqlAll<{ domain: string }>(
		ctx.db,
		sql`select dl.value as domain from json_each(${JSON.stringify(domains)}) dl
		where ${related("follows", "account_id")} or ${related("follows", "target_account_id")}
		or ${related("follow_requests", "account_id")} or ${related("follow_requests", "target_account_id")}`,
	);
	for (const { domain } of withFollows) {
		await severRelationships(ctx.db, {
			type: "domain_block",
			targetName: domain,
			remoteWhere: domainInListSql(sql.raw("r.domain"), [domain]),
		});
	}
}

/**
 * Media of the domains' accounts become "unknown" attachments (the remote
 * link stays, as Mastodon keeps `remote_url`), avatars and headers go, and
 * the domains' custom emojis are forgotten.
 */
function rejectMediaStatements(ctx: ModerationContext, domains: string[]) {
	const { db } = ctx;
	return [
		sqlRun(
			db,
			sql`update media_attachments set type = 'unknown', blurhash = null, width = null, height = null,
				thumbnail_key = null where file_key is null and account_id in
				(select id from accounts where domain is not null and ${domainInListSql(accountDomain, domains)})`,
		),
		sqlRun(
			db,
			sql`update accounts set avatar_url = null, header_url = null
			where domain is not null and ${domainInListSql(accountDomain, domains)}`,
		),
		sqlRun(db, sql`delete from remote_emojis where ${domainInListSql(sql.raw("remote_emojis.domain"), domains)}`),
	];
}

/** A changed block: what the old severity did that the new one does not is undone, then the new one applies. */
export async function reapplyDomainBlock(ctx: ModerationContext, block: DomainBlock, previous: DomainBlock) {
	if (previous.severity !== block.severity) await undoSeverity(ctx, previous);
	await applyDomainBlocks(ctx, [block]);
}

async function undoSeverity(ctx: ModerationContext, block: DomainBlock): Promise<void> {
	const at = block.createdAt.getTime();
	const matches = domainInListSql(accountDomain, [block.domain]);
	if (block.severity === "silence") {
		await ctx.db.run(
			sql`update accounts set silenced_at = null where silenced_at = ${at} and domain is not null and ${matches}`,
		);
	}
	if (block.severity === "suspend") {
		await ctx.db.run(
			sql`update accounts set suspended_at = null, suspension_origin = null
			where suspended_at = ${at} and domain is not null and ${matches}`,
		);
	}
}

/** Lifting a block restores the accounts it limited; their profiles are refetched when next needed. */
export async function liftDomainBlock(ctx: ModerationContext, block: DomainBlock): Promise<void> {
	const { db } = ctx;
	const matches = domainInListSql(accountDomain, [block.domain]);
	const at = block.createdAt.getTime();
	await db.batch([
		sqlRun(
			db,
			sql`update accounts set silenced_at = null where silenced_at = ${at} and domain is not null and ${matches}`,
		),
		sqlRun(
			db,
			sql`update accounts set suspended_at = null, suspension_origin = null
			where suspended_at = ${at} and domain is not null and ${matches}`,
		),
		sqlRun(db, sql`update accounts set fetched_at = null where domain is not null and ${matches}`),
	]);
}
