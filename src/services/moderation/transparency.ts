import { asc, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { domainBlocks } from "../../db/schema";
import type { MastodonDomainBlock } from "../../serializers/mastodon/moderation-entities";
import { readInstanceSettings } from "../instance/settings";
import { domainDigest, publicDomain } from "./domain-blocks";

type Audience = "disabled" | "users" | "all";

function allows(setting: string | undefined, signedIn: boolean): boolean {
	const value = (setting ?? "disabled") as Audience;
	return value === "all" || (value === "users" && signedIn);
}

/**
 * The instance's domain blocks as the public may see them, when the admin
 * chose to show them (to everyone, or to signed-in members): silenced and
 * suspended domains, obfuscated where asked, with the public comment when
 * the rationale is shown too. Null when they are not shown to this viewer.
 * Used by `/api/v1/instance/domain_blocks` and the about page.
 */
export async function publicDomainBlocks(db: Db, signedIn: boolean): Promise<MastodonDomainBlock[] | null> {
	const settings = await readInstanceSettings(db);
	if (!allows(settings.showDomainBlocks, signedIn)) return null;
	const withComment = allows(settings.showDomainBlocksRationale, signedIn);
	const rows = await db
		.select()
		.from(domainBlocks)
		.where(inArray(domainBlocks.severity, ["silence", "suspend"]))
		.orderBy(asc(domainBlocks.domain));
	return Promise.all(
		rows.map(async (block) => ({
			domain: publicDomain(block),
			digest: await domainDigest(block.domain),
			severity: block.severity as "silence" | "suspend",
			...(withComment ? { comment: block.publicComment } : {}),
		})),
	);
}
