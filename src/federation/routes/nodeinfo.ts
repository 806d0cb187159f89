import { and, count, eq, gte, isNull, or } from "drizzle-orm";
import { accounts, statuses, users } from "../../db/schema";
import type { AppContext } from "../../http/context";
import { notFound } from "../../http/errors";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { MASTODON_COMPATIBLE_VERSION } from "../../version";
import { SOFTWARE } from "../software";

const SCHEMA = "http://nodeinfo.diaspora.software/ns/schema";
const VERSIONS = ["2.0", "2.1"] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Users who can sign in; active = signed in or posted within the window. */
async function usage(ctx: AppContext) {
	const now = Date.now();
	const month = new Date(now - 30 * DAY_MS);
	const halfYear = new Date(now - 180 * DAY_MS);
	const usable = and(eq(users.approved, true), eq(users.disabled, false), isNull(accounts.suspendedAt));
	const activeSince = (since: Date) =>
		ctx.db
			.select({ n: count() })
			.from(users)
			.innerJoin(accounts, eq(accounts.id, users.accountId))
			.where(and(usable, or(gte(users.lastSignInAt, since), gte(accounts.lastStatusAt, since))));
	const [total, activeMonth, activeHalfyear, posts] = await ctx.db.batch([
		ctx.db.select({ n: count() }).from(users).innerJoin(accounts, eq(accounts.id, users.accountId)).where(usable),
		activeSince(month),
		activeSince(halfYear),
		ctx.db
			.select({ n: count() })
			.from(statuses)
			.where(and(eq(statuses.local, true), isNull(statuses.deletedAt), isNull(statuses.reblogOfId))),
	]);
	return {
		users: { total: total[0]?.n ?? 0, activeMonth: activeMonth[0]?.n ?? 0, activeHalfyear: activeHalfyear[0]?.n ?? 0 },
		localPosts: posts[0]?.n ?? 0,
	};
}

export function nodeinfoRoutes(router: AppRouter): void {
	router.get("/.well-known/nodeinfo", (_request, ctx) =>
		json(
			{
				links: VERSIONS.map((version) => ({
					rel: `${SCHEMA}/${version}`,
					href: `${ctx.config.origin}/nodeinfo/${version}`,
				})),
			},
			{ headers: { "Cache-Control": "max-age=259200, public" } },
		),
	);

	router.get("/nodeinfo/:version", async (request, ctx) => {
		const version = VERSIONS.find((v) => v === request.params.version);
		if (!version) throw notFound("Unknown NodeInfo version");
		return json(
			{
				version,
				software: { name: SOFTWARE.name, version: SOFTWARE.version },
				protocols: ["activitypub"],
				services: { outbound: [], inbound: [] },
				usage: await usage(ctx),
				openRegistrations: ctx.config.registrationMode !== "closed",
				metadata: {
					nodeName: ctx.config.title,
					nodeDescription: ctx.config.description,
					// Client libraries that pick an API dialect from NodeInfo (megalodon's detector)
					// read this to treat a server as speaking Mastodon's client API.
					upstream: { name: "mastodon", version: MASTODON_COMPATIBLE_VERSION },
				},
			},
			{
				headers: {
					"Content-Type": `application/json; profile="${SCHEMA}/${version}#"; charset=utf-8`,
					"Cache-Control": "max-age=1800, public",
				},
			},
		);
	});
}
