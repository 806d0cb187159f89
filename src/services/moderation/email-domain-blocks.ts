import { asc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type EmailDomainBlock, emailDomainBlockAttempts, emailDomainBlocks } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { logActionStatement, type Moderator } from "./audit-log";
import { domainAndParents, normalizeDomain } from "./domain-policy";

const DAY_SECONDS = 24 * 60 * 60;

export async function listEmailDomainBlocks(db: Db): Promise<EmailDomainBlock[]> {
	return db.select().from(emailDomainBlocks).orderBy(asc(emailDomainBlocks.domain));
}

export async function findEmailDomainBlock(db: Db, id: string): Promise<EmailDomainBlock | undefined> {
	const [row] = await db.select().from(emailDomainBlocks).where(eq(emailDomainBlocks.id, id)).limit(1);
	return row;
}

export class EmailDomainBlockExists extends Error {
	constructor(readonly existing: EmailDomainBlock) {
		super(`${existing.domain} is already blocked`);
	}
}

export async function createEmailDomainBlock(
	db: Db,
	moderator: Moderator,
	input: { domain: string; allowWithApproval?: boolean },
): Promise<EmailDomainBlock> {
	const domain = normalizeDomain(input.domain.replace(/^.*@/, ""));
	if (!domain?.includes(".")) throw new ValidationError("domain", "Domain is not a valid email domain");
	const [existing] = await db.select().from(emailDomainBlocks).where(eq(emailDomainBlocks.domain, domain)).limit(1);
	if (existing) throw new EmailDomainBlockExists(existing);
	const now = new Date();
	const block: EmailDomainBlock = {
		id: newId(now),
		domain,
		allowWithApproval: input.allowWithApproval ?? false,
		createdAt: now,
	};
	await db.batch([
		db.insert(emailDomainBlocks).values(block),
		logActionStatement(db, moderator, {
			action: "create",
			targetType: "EmailDomainBlock",
			targetId: block.id,
			humanIdentifier: domain,
			note: block.allowWithApproval ? "allowed with approval" : "",
		}),
	]);
	return block;
}

export async function removeEmailDomainBlock(db: Db, moderator: Moderator, block: EmailDomainBlock): Promise<void> {
	await db.batch([
		db.delete(emailDomainBlocks).where(eq(emailDomainBlocks.id, block.id)),
		logActionStatement(db, moderator, {
			action: "destroy",
			targetType: "EmailDomainBlock",
			targetId: block.id,
			humanIdentifier: block.domain,
		}),
	]);
}

/**
 * What an email domain block says about a sign-up address: refused, allowed
 * only with a moderator's approval, or nothing. Subdomains follow their
 * parent (`mail.spam.example` is covered by `spam.example`). A refusal or
 * an approval requirement is counted in the block's daily history.
 */
export async function emailDomainVerdict(
	db: Db,
	email: string,
	now = new Date(),
): Promise<"blocked" | "approval" | null> {
	const domain = normalizeDomain(email.slice(email.lastIndexOf("@") + 1));
	if (!domain) return null;
	const candidates = domainAndParents(domain);
	const rows = await db
		.select()
		.from(emailDomainBlocks)
		.where(sql`${emailDomainBlocks.domain} in (select value from json_each(${JSON.stringify(candidates)}))`);
	const block = candidates.map((c) => rows.find((r) => r.domain === c)).find((r) => r !== undefined);
	if (!block) return null;
	const day = Math.floor(now.getTime() / 1000 / DAY_SECONDS) * DAY_SECONDS;
	await db
		.insert(emailDomainBlockAttempts)
		.values({ blockId: block.id, day, attempts: 1 })
		.onConflictDoUpdate({
			target: [emailDomainBlockAttempts.blockId, emailDomainBlockAttempts.day],
			set: { attempts: sql`${emailDomainBlockAttempts.attempts} + 1` },
		});
	return block.allowWithApproval ? "approval" : "blocked";
}

export interface EmailDomainBlockDay {
	day: number;
	attempts: number;
}

/** The last seven days of attempts per block (Mastodon's `history`), days without attempts included as 0. */
export async function emailDomainBlockHistory(
	db: Db,
	blockIds: string[],
	now = new Date(),
): Promise<Map<string, EmailDomainBlockDay[]>> {
	const today = Math.floor(now.getTime() / 1000 / DAY_SECONDS) * DAY_SECONDS;
	const days = Array.from({ length: 7 }, (_, i) => today - i * DAY_SECONDS);
	const rows =
		blockIds.length === 0
			? []
			: await db
					.select()
					.from(emailDomainBlockAttempts)
					.where(gte(emailDomainBlockAttempts.day, today - 6 * DAY_SECONDS));
	const result = new Map<string, EmailDomainBlockDay[]>();
	for (const id of blockIds) {
		result.set(
			id,
			days.map((day) => ({ day, attempts: rows.find((r) => r.blockId === id && r.day === day)?.attempts ?? 0 })),
		);
	}
	return result;
}
