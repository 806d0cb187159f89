import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createTestUser, db } from "../../../test/helpers/users";
import { oauthAuthorizationCodes, webSessions } from "../../db/schema";
import { registerApplication } from "./oauth";
import { sweepExpiredGrants } from "./oauth-sweep";
import { startWebSession } from "./web-sessions";

it("deletes expired codes and sessions, keeps live ones", async () => {
	const user = await createTestUser();
	const { app } = await registerApplication(db(), {
		name: "sweep",
		redirectUris: ["https://a.example/cb"],
		scopes: "read",
		website: undefined,
	});
	const now = new Date();
	const base = {
		applicationId: app.id,
		userId: user.user.id,
		redirectUri: "https://a.example/cb",
		scopes: "read",
		createdAt: now,
	};
	await db()
		.insert(oauthAuthorizationCodes)
		.values([
			{ ...base, id: "sweep-old", codeHash: "h-old", expiresAt: new Date(now.getTime() - 1000) },
			{ ...base, id: "sweep-live", codeHash: "h-live", expiresAt: new Date(now.getTime() + 60_000) },
		]);
	await startWebSession(db(), user.user.id, null);
	await db()
		.update(webSessions)
		.set({ expiresAt: new Date(now.getTime() - 1) })
		.where(eq(webSessions.userId, user.user.id));
	const other = await createTestUser();
	await startWebSession(db(), other.user.id, null);
	await sweepExpiredGrants(db(), now);
	const codes = await db().select({ id: oauthAuthorizationCodes.id }).from(oauthAuthorizationCodes);
	expect(codes.map((c) => c.id)).toContain("sweep-live");
	expect(codes.map((c) => c.id)).not.toContain("sweep-old");
	expect(await db().select().from(webSessions).where(eq(webSessions.userId, user.user.id))).toEqual([]);
	expect(await db().select().from(webSessions).where(eq(webSessions.userId, other.user.id))).toHaveLength(1);
});
