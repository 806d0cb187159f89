import { eq } from "drizzle-orm";
import { type Account, type AccountKeys, accountDeletions, accountKeys, accounts } from "../../db/schema";
import type { AppContext, AppRequest } from "../../http/context";
import { notFound } from "../../http/errors";
import type { AppRouter } from "../../http/router";
import { serializeActor } from "../../serializers/activitypub/actor";
import { publicProfile } from "../../web/public/profile";
import { ensureInstanceActor } from "../instance-actor";
import { activityJson, fetchSigner, wantsActivityJson } from "./requester";

export interface LocalActorRow {
	account: Account;
	keys: AccountKeys | null;
}

/** A local account by username, with its keys (null until generated); suspended ones too unless asked not to. */
export async function findLocalActor(
	ctx: AppContext,
	username: string,
	options: { withSuspended?: boolean } = {},
): Promise<LocalActorRow | undefined> {
	const rows = await ctx.db
		.select({ account: accounts, keys: accountKeys })
		.from(accounts)
		.leftJoin(accountKeys, eq(accountKeys.accountId, accounts.id))
		.where(eq(accounts.acctKey, `${username.toLowerCase()}@`))
		.limit(1);
	const row = rows[0];
	if (!row || row.account.domain !== null || (row.account.suspendedAt && !options.withSuspended)) return undefined;
	return row;
}

async function movedToUri(ctx: AppContext, account: Account): Promise<string | null> {
	if (!account.movedToAccountId) return null;
	const rows = await ctx.db
		.select({ uri: accounts.uri })
		.from(accounts)
		.where(eq(accounts.id, account.movedToAccountId))
		.limit(1);
	return rows[0]?.uri ?? null;
}

/** A local account its owner deleted: its actor is gone for good (410), not unknown (404). */
async function deletedByOwner(ctx: AppContext, username: string): Promise<boolean> {
	const rows = await ctx.db
		.select({ id: accountDeletions.accountId })
		.from(accountDeletions)
		.innerJoin(accounts, eq(accounts.id, accountDeletions.accountId))
		.where(eq(accounts.acctKey, `${username.toLowerCase()}@`))
		.limit(1);
	return rows.length > 0;
}

async function actorResponse(request: AppRequest, ctx: AppContext, row: LocalActorRow): Promise<Response> {
	// Under authorized fetch an unsigned fetch still gets the key and inbox
	// (peers need them to verify this account's own signatures), nothing more.
	const restricted = ctx.config.authorizedFetch && !(await fetchSigner(request, ctx));
	const movedTo = restricted ? null : await movedToUri(ctx, row.account);
	return activityJson(serializeActor(row.account, row.keys, ctx.config, { movedToUri: movedTo, restricted }));
}

async function profile(request: AppRequest, ctx: AppContext): Promise<Response> {
	const username = decodeURIComponent(String(request.params.username));
	if (username.toLowerCase() === ctx.config.domain) {
		return Response.redirect(`${ctx.config.origin}/actor`, 301);
	}
	// Browsers get the public profile page (also for remote accounts and the RSS feed); a suspended account has none.
	if (!wantsActivityJson(request)) return publicProfile(request, ctx, username);
	const row = await findLocalActor(ctx, username, { withSuspended: true });
	if (!row || row.account.actorType === "Application") throw notFound("Account not found");
	if (row.account.suspendedAt) {
		// Deleted by its owner: gone for good.
		if (await deletedByOwner(ctx, username)) return new Response("Gone", { status: 410 });
		// A suspended account's actor stays readable, saying `suspended` and little else, as on Mastodon:
		// that is how other servers learn of the suspension.
		return activityJson(serializeActor(row.account, row.keys, ctx.config, { movedToUri: null, restricted: true }));
	}
	return actorResponse(request, ctx, row);
}

export function actorRoutes(router: AppRouter): void {
	router.get("/users/:username", profile);
	router.get("/@:username", profile);
	// Where a featured tag's url points: the owner's posts with it; browsers get the profile page.
	router.get("/@:username/tagged/:tag", profile);
	// The instance actor is always public: peers fetch its key to check its signatures.
	router.get("/actor", async (_request, ctx) => {
		const account = await ensureInstanceActor(ctx);
		const keys = await ctx.db.select().from(accountKeys).where(eq(accountKeys.accountId, account.id)).limit(1);
		return activityJson(serializeActor(account, keys[0] ?? null, ctx.config));
	});
}
