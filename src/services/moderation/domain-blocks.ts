import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type DomainBlock, type DomainBlockSeverity, domainBlocks } from "../../db/schema";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { logActionStatement, type Moderator } from "./audit-log";
import type { ModerationContext } from "./context";
import { applyDomainBlocks, liftDomainBlock, reapplyDomainBlock } from "./domain-effects";
import { domainAndParents, forgetDomainPolicy, hostWithoutPort, normalizeDomain } from "./domain-policy";

export interface DomainBlockInput {
	domain: string;
	severity?: DomainBlockSeverity;
	rejectMedia?: boolean;
	rejectReports?: boolean;
	privateComment?: string | null;
	publicComment?: string | null;
	obfuscate?: boolean;
}

const SEVERITY_ORDER: Record<DomainBlockSeverity, number> = { noop: 0, silence: 1, suspend: 2 };
const COMMENT_MAX = 1000;

/** A block that already covers a domain, met when creating another. */
export class DomainBlockConflict extends Error {
	constructor(readonly existing: DomainBlock) {
		super(`${existing.domain} is already blocked (${existing.severity})`);
	}
}

/** A domain from user input, checked; the instance's own domain can never be blocked. */
export function checkedDomain(ctx: ModerationContext, input: string): string {
	const domain = normalizeDomain(input);
	if (!domain) throw new ValidationError("domain", "Domain is not a valid host name");
	if (domain === hostWithoutPort(ctx.config.domain))
		throw new ValidationError("domain", "You cannot block your own domain");
	return domain;
}

function comment(value: string | null | undefined, field: string): string | null {
	const text = value?.trim() ?? "";
	if (text.length > COMMENT_MAX)
		throw new ValidationError(field, `${field} is too long (maximum is ${COMMENT_MAX} characters)`);
	return text === "" ? null : text;
}

export async function listDomainBlocks(db: Db): Promise<DomainBlock[]> {
	return db.select().from(domainBlocks).orderBy(asc(domainBlocks.domain));
}

export async function findDomainBlock(db: Db, id: string): Promise<DomainBlock | undefined> {
	const [row] = await db.select().from(domainBlocks).where(eq(domainBlocks.id, id)).limit(1);
	return row;
}

/** The block on this exact domain or the closest parent's, if any. */
export async function coveringBlock(db: Db, domain: string): Promise<DomainBlock | undefined> {
	const candidates = domainAndParents(domain);
	const rows = await db.select().from(domainBlocks);
	for (const candidate of candidates) {
		const found = rows.find((row) => row.domain === candidate);
		if (found) return found;
	}
	return undefined;
}

function describe(block: Pick<DomainBlock, "severity" | "rejectMedia" | "rejectReports">): string {
	const parts: string[] = [block.severity];
	if (block.rejectMedia) parts.push("reject media");
	if (block.rejectReports) parts.push("reject reports");
	return parts.join(", ");
}

/**
 * Blocks a domain and applies it at once: silenced or suspended accounts,
 * follows severed with notice to the members who had them, media and
 * emojis rejected. A domain already covered by an equal or stricter block
 * (its own or a parent's) is a conflict.
 */
export async function createDomainBlock(
	ctx: ModerationContext,
	moderator: Moderator,
	input: DomainBlockInput,
): Promise<DomainBlock> {
	const domain = checkedDomain(ctx, input.domain);
	const severity = input.severity ?? "silence";
	const existing = await coveringBlock(ctx.db, domain);
	if (existing && (existing.domain === domain || SEVERITY_ORDER[existing.severity] >= SEVERITY_ORDER[severity])) {
		throw new DomainBlockConflict(existing);
	}
	const now = new Date();
	const block: DomainBlock = {
		id: newId(now),
		domain,
		severity,
		rejectMedia: input.rejectMedia ?? false,
		rejectReports: input.rejectReports ?? false,
		privateComment: comment(input.privateComment, "private_comment"),
		publicComment: comment(input.publicComment, "public_comment"),
		obfuscate: input.obfuscate ?? false,
		createdAt: now,
		updatedAt: now,
	};
	await ctx.db.batch([
		ctx.db.insert(domainBlocks).values(block),
		logActionStatement(ctx.db, moderator, {
			action: "create",
			targetType: "DomainBlock",
			targetId: block.id,
			humanIdentifier: domain,
			note: [describe(block), block.privateComment].filter(Boolean).join(": "),
		}),
	]);
	forgetDomainPolicy(ctx.env);
	await applyDomainBlocks(ctx, [block]);
	return block;
}

/** Changes a block; what the old severity did and the new one does not is undone, as Mastodon does. */
export async function updateDomainBlock(
	ctx: ModerationContext,
	moderator: Moderator,
	block: DomainBlock,
	patch: Omit<Partial<DomainBlockInput>, "domain">,
): Promise<DomainBlock> {
	const updated: DomainBlock = {
		...block,
		severity: patch.severity ?? block.severity,
		rejectMedia: patch.rejectMedia ?? block.rejectMedia,
		rejectReports: patch.rejectReports ?? block.rejectReports,
		privateComment:
			patch.privateComment === undefined ? block.privateComment : comment(patch.privateComment, "private_comment"),
		publicComment:
			patch.publicComment === undefined ? block.publicComment : comment(patch.publicComment, "public_comment"),
		obfuscate: patch.obfuscate ?? block.obfuscate,
		updatedAt: new Date(),
	};
	await ctx.db.batch([
		ctx.db.update(domainBlocks).set(updated).where(eq(domainBlocks.id, block.id)),
		logActionStatement(ctx.db, moderator, {
			action: "update",
			targetType: "DomainBlock",
			targetId: block.id,
			humanIdentifier: block.domain,
			note: `${describe(block)} → ${describe(updated)}`,
		}),
	]);
	forgetDomainPolicy(ctx.env);
	await reapplyDomainBlock(ctx, updated, block);
	return updated;
}

/** Lifts a block: accounts it silenced or suspended are restored; severed follows stay severed. */
export async function removeDomainBlock(
	ctx: ModerationContext,
	moderator: Moderator,
	block: DomainBlock,
): Promise<void> {
	await ctx.db.batch([
		ctx.db.delete(domainBlocks).where(eq(domainBlocks.id, block.id)),
		logActionStatement(ctx.db, moderator, {
			action: "destroy",
			targetType: "DomainBlock",
			targetId: block.id,
			humanIdentifier: block.domain,
		}),
	]);
	forgetDomainPolicy(ctx.env);
	await liftDomainBlock(ctx, block);
}

/** Mastodon's `obfuscate`: the middle of the name starred out, dots kept, for public listings. */
export function publicDomain(block: Pick<DomainBlock, "domain" | "obfuscate">): string {
	if (!block.obfuscate) return block.domain;
	const length = block.domain.length;
	const visible = Math.floor(length / 4);
	return [...block.domain].map((chr, i) => (i > visible && i < length - visible && chr !== "." ? "*" : chr)).join("");
}

export async function domainDigest(domain: string): Promise<string> {
	const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(domain)));
	return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}
