import { resolveAccountByAcct } from "../federation/actors/resolve";
import type { FederationContext } from "../federation/context";

const REMOTE_ACCT = /^@?([\w.-]+)@([\w.-]+(?::\d{1,5})?)$/;

/**
 * `resolve=true` in a search: a query shaped like `user@remote.domain` is
 * looked up through WebFinger and stored, so the search that follows finds it
 * like any known account. Unreachable or unknown handles simply stay unfound.
 */
export async function resolveSearchedAcct(ctx: FederationContext, query: string): Promise<void> {
	const match = REMOTE_ACCT.exec(query.trim());
	if (!match || match[2]?.toLowerCase() === ctx.config.domain) return;
	await resolveAccountByAcct(ctx, `${match[1]}@${match[2]}`);
}
