import { eq } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import { type Account, accounts } from "../../db/schema";
import type { AppContext } from "../../http/context";
import { badRequest, notFound } from "../../http/errors";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { instanceActorUrls } from "../instance-actor";

const JRD_TYPE = "application/jrd+json; charset=utf-8";

/** The username a resource names on this instance: `acct:user@domain`, or one of the actor's URLs. */
function usernameFromResource(resource: string, config: InstanceConfig): string | null {
	const acct = /^(?:acct:)?@?([^@\s]+)@([^@\s]+)$/i.exec(resource);
	if (acct && !resource.startsWith("http")) {
		return (acct[2] as string).toLowerCase() === config.domain ? (acct[1] as string) : null;
	}
	let url: URL;
	try {
		url = new URL(resource);
	} catch {
		return null;
	}
	if (url.origin !== config.origin) return null;
	if (url.pathname === "/actor") return config.domain;
	const match = /^\/(?:users\/|@)([^/]+)\/?$/.exec(url.pathname);
	return match ? decodeURIComponent(match[1] as string) : null;
}

async function findAccount(ctx: AppContext, username: string): Promise<Account | undefined> {
	if (username.toLowerCase() === ctx.config.domain) {
		const rows = await ctx.db
			.select()
			.from(accounts)
			.where(eq(accounts.uri, instanceActorUrls(ctx.config).uri))
			.limit(1);
		return rows[0];
	}
	const rows = await ctx.db
		.select()
		.from(accounts)
		.where(eq(accounts.acctKey, `${username.toLowerCase()}@`))
		.limit(1);
	return rows[0];
}

export function webfingerDocument(account: Account, config: InstanceConfig) {
	const profile = account.url ?? account.uri;
	const links: Record<string, string>[] = [
		{ rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: profile },
		{ rel: "self", type: "application/activity+json", href: account.uri },
		{ rel: "http://ostatus.org/schema/1.0/subscribe", template: `${config.origin}/authorize_interaction?uri={uri}` },
	];
	if (account.avatarUrl) links.push({ rel: "http://webfinger.net/rel/avatar", href: account.avatarUrl });
	return {
		subject: `acct:${account.username}@${config.domain}`,
		aliases: [...new Set([profile, account.uri])],
		links,
	};
}

export function webfingerRoutes(router: AppRouter): void {
	router.get("/.well-known/webfinger", async (request, ctx) => {
		const resource = new URL(request.url).searchParams.get("resource")?.trim();
		if (!resource) throw badRequest("The resource parameter is required");
		const username = usernameFromResource(resource, ctx.config);
		const account = username ? await findAccount(ctx, username) : undefined;
		if (!account || account.domain !== null || account.suspendedAt) throw notFound("Account not found");
		return json(webfingerDocument(account, ctx.config), {
			headers: { "Content-Type": JRD_TYPE, "Cache-Control": "max-age=259200, public", Vary: "Origin" },
		});
	});
}
