import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { createTestUser } from "../../test/helpers/users";
import { createDb, reusableSelect } from "./client";
import { accounts, oauthAccessTokens, users } from "./schema";
import { D1Meter } from "./stats";

const query = (db: ReturnType<typeof createDb>) =>
	db
		.select({ token: oauthAccessTokens, user: users, account: accounts })
		.from(oauthAccessTokens)
		.leftJoin(users, eq(users.id, oauthAccessTokens.userId))
		.leftJoin(accounts, eq(accounts.id, users.accountId));

it("gives a select built once per isolate the rows Drizzle gives, on every request's database", async () => {
	const user = await createTestUser();
	const appOnly = await createDb(env.DB)
		.insert(oauthAccessTokens)
		.values({ id: `app-${user.user.id}`, tokenHash: `hash-${user.user.id}`, scopes: "read", createdAt: new Date() })
		.returning();
	const reused = reusableSelect<unknown>((db) => query(db).where(eq(oauthAccessTokens.id, sql.placeholder("id"))));
	for (const id of [user.user.id, appOnly[0]?.id ?? "", "missing"]) {
		const byUser = id === user.user.id;
		const plain = await query(createDb(env.DB)).where(
			byUser ? eq(oauthAccessTokens.userId, id) : eq(oauthAccessTokens.id, id),
		);
		const tokenId = byUser ? (plain[0]?.token.id ?? "") : id;
		// A fresh database (and a metered one) each time, as each request has.
		expect(await reused(createDb(env.DB), { id: tokenId })).toEqual(plain);
		expect(await reused(createDb(env.DB, new D1Meter()), { id: tokenId })).toEqual(plain);
	}
	// A token without a user maps its left-joined user and account to null, not to rows of nulls.
	const [row] = (await reused(createDb(env.DB), { id: appOnly[0]?.id ?? "" })) as { user: unknown; account: unknown }[];
	expect(row).toMatchObject({ user: null, account: null });
});
