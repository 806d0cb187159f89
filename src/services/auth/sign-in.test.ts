import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createTestUser, db } from "../../../test/helpers/users";
import { users } from "../../db/schema";
import { hashPassword, PASSWORD_ITERATIONS } from "../../lib/crypto/password";
import { checkCredentials } from "./sign-in";

it("accepts the right password, re-hashes a weaker stored hash, and records the sign-in", async () => {
	const user = await createTestUser();
	await db()
		.update(users)
		.set({ passwordHash: await hashPassword("old weak hash pw", 1000) })
		.where(eq(users.id, user.user.id));
	expect(await checkCredentials(db(), user.user.email, "wrong password")).toBeUndefined();
	const result = await checkCredentials(db(), user.user.email.toUpperCase(), "old weak hash pw");
	expect(result?.account.id).toBe(user.account.id);
	const [stored] = await db().select().from(users).where(eq(users.id, user.user.id));
	expect(stored?.passwordHash?.split("$")[1]).toBe(String(PASSWORD_ITERATIONS));
	expect(stored?.lastSignInAt).toBeInstanceOf(Date);
	expect(await checkCredentials(db(), user.user.email, "old weak hash pw")).toBeDefined();
	expect(await checkCredentials(db(), "nobody@example.com", "whatever pw")).toBeUndefined();
});
