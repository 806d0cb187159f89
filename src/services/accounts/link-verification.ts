import { eq } from "drizzle-orm";
import { type DefaultTreeAdapterTypes, parse } from "parse5";
import type { ServiceContext } from "../../context";
import { type Account, accounts, type ProfileField } from "../../db/schema";
import { FetchError, outboundFetch } from "../../federation/federator";
import type { JobMessage } from "../../queues/messages";

/** Pages larger than this are not read for a link back (Mastodon reads 1 MiB). */
const MAX_PAGE_BYTES = 1024 * 1024;
const MAX_URL_LENGTH = 255;

/** The link a field shows: a local field's value when it is a URL, a remote field's single link. */
export function fieldLink(account: Pick<Account, "domain">, field: ProfileField): string | undefined {
	const candidate =
		account.domain === null ? field.value.trim() : /^<a [^>]*href="([^"]+)"/.exec(field.value.trim())?.[1];
	if (!candidate || candidate.length > MAX_URL_LENGTH) return undefined;
	const decoded = candidate.replace(/&amp;/g, "&");
	try {
		const url = new URL(decoded);
		return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
	} catch {
		return undefined;
	}
}

/** Where a page must link back to with rel="me": the account's profile page or its actor. */
export function linkBackTargets(account: Pick<Account, "url" | "uri">): string[] {
	return [account.url, account.uri]
		.filter((value): value is string => Boolean(value))
		.map((value) => value.toLowerCase());
}

/** The hrefs of `<a rel="me">` and `<link rel="me">` in a page. */
export function relMeLinks(html: string): string[] {
	const found: string[] = [];
	const pending: DefaultTreeAdapterTypes.ChildNode[] = [...parse(html).childNodes];
	for (let node = pending.pop(); node; node = pending.pop()) {
		if (!("tagName" in node)) continue;
		const element = node as DefaultTreeAdapterTypes.Element;
		if (element.tagName === "a" || element.tagName === "link") {
			const rel =
				element.attrs
					.find((a) => a.name === "rel")
					?.value.toLowerCase()
					.split(/\s+/) ?? [];
			const href = element.attrs.find((a) => a.name === "href")?.value;
			if (rel.includes("me") && href) found.push(href.trim());
		}
		pending.push(...element.childNodes);
		if (element.tagName === "template")
			pending.push(...(element as DefaultTreeAdapterTypes.Template).content.childNodes);
	}
	return found;
}

async function linksBack(ctx: ServiceContext, url: string, targets: string[]): Promise<boolean> {
	try {
		const response = await outboundFetch(ctx, url, {
			signAs: false,
			headers: { Accept: "text/html" },
			maxBytes: MAX_PAGE_BYTES,
		});
		if (response.status !== 200) return false;
		const type = response.headers.get("content-type") ?? "";
		if (!type.includes("html")) return false;
		return relMeLinks(response.text()).some((href) => targets.includes(href.toLowerCase()));
	} catch (error) {
		if (error instanceof FetchError) return false;
		throw error;
	}
}

/**
 * Verifies an account's profile links as Mastodon does: a field whose value
 * is a link is verified when the page it points to links back to the
 * profile with rel="me". A link that stops linking back loses its mark.
 * Runs from the jobs queue (it fetches other sites); the fields are written
 * back only if they are still the ones checked.
 */
export async function verifyProfileLinks(ctx: ServiceContext, accountId: string, now = new Date()): Promise<void> {
	const [account] = await ctx.db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
	if (!account || account.suspendedAt) return;
	const targets = linkBackTargets(account);
	let changed = false;
	const fields: ProfileField[] = [];
	for (const field of account.fields) {
		const link = fieldLink(account, field);
		const verified = link ? await linksBack(ctx, link, targets) : false;
		const verifiedAt = verified ? (field.verifiedAt ?? now.toISOString()) : null;
		if (verifiedAt !== field.verifiedAt) changed = true;
		fields.push({ ...field, verifiedAt });
	}
	if (!changed) return;
	const [current] = await ctx.db
		.select({ fields: accounts.fields })
		.from(accounts)
		.where(eq(accounts.id, accountId))
		.limit(1);
	const same =
		JSON.stringify(current?.fields.map((f) => [f.name, f.value])) ===
		JSON.stringify(account.fields.map((f) => [f.name, f.value]));
	if (!same) return;
	await ctx.db.update(accounts).set({ fields }).where(eq(accounts.id, accountId));
}

/** Whether a change of fields calls for a new check: some field is a link and something changed. */
export function linksNeedChecking(
	account: Pick<Account, "domain">,
	before: ProfileField[],
	after: ProfileField[],
): boolean {
	if (!after.some((field) => fieldLink(account, field))) return false;
	return JSON.stringify(before.map((f) => [f.name, f.value])) !== JSON.stringify(after.map((f) => [f.name, f.value]));
}

/** Queues a check of the profile's links after an edit that changed them. */
export async function queueLinkCheckAfterEdit(
	env: Pick<Env, "JOBS_QUEUE">,
	before: Account,
	after: Account,
): Promise<void> {
	if (!linksNeedChecking(after, before.fields, after.fields)) return;
	await env.JOBS_QUEUE.send({ type: "account.verify_links", accountId: after.id } satisfies JobMessage);
}
