import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestUser, db } from "../../../test/helpers/users";
import { users } from "../../db/schema";
import { bytesToBase64 } from "../../lib/base64";
import { hashPassword, PASSWORD_COST, pbkdf2 } from "../../lib/crypto/password";
import { checkCredentials, continueSignIn, type SignInStep, startSignIn } from "./sign-in";

const SECRET = "test-secret-test-secret-test-secret-0123456789";
const PASSWORD = "correct horse battery staple";

async function legacyHash(password: string, iterations: number): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const hash = await pbkdf2(new Uint8Array(new TextEncoder().encode(password)), salt, iterations);
	return `pbkdf2-sha256$${iterations}$${bytesToBase64(salt)}$${bytesToBase64(hash)}`;
}

/** Follows a sign-in to its end; returns the last step and how many requests it took. */
async function signIn(email: string, password: string, binding = "browser-a") {
	let step: SignInStep = await startSignIn(db(), SECRET, { email, password, binding, returnTo: "/oauth/authorize" });
	let requests = 1;
	while (step.status === "continue") {
		step = await continueSignIn(db(), SECRET, step.token, binding);
		requests++;
	}
	return { step, requests };
}

async function userWithFullCostHash() {
	const user = await createTestUser();
	await db()
		.update(users)
		.set({ passwordHash: await hashPassword(PASSWORD) })
		.where(eq(users.id, user.user.id));
	return user;
}

describe("a sign-in spread over requests", () => {
	it("takes one request per 50,000-iteration link and signs in at the last", async () => {
		const user = await userWithFullCostHash();
		const { step, requests } = await signIn(user.user.email.toUpperCase(), PASSWORD);
		expect(requests).toBe(PASSWORD_COST.links);
		expect(step.status).toBe("signed-in");
		expect(step.returnTo).toBe("/oauth/authorize");
		if (step.status === "signed-in") expect(step.result.account.id).toBe(user.account.id);
		const [stored] = await db().select().from(users).where(eq(users.id, user.user.id));
		expect(stored?.lastSignInAt).toBeInstanceOf(Date);
	}, 30_000);

	it("fails a wrong password, and an unknown email, after the same number of requests", async () => {
		const user = await userWithFullCostHash();
		const wrong = await signIn(user.user.email, "wrong password!");
		expect(wrong).toMatchObject({ step: { status: "failed", email: user.user.email }, requests: PASSWORD_COST.links });
		const unknown = await signIn("nobody@example.com", PASSWORD);
		expect(unknown).toMatchObject({ step: { status: "failed" }, requests: PASSWORD_COST.links });
	}, 30_000);

	it("refuses a continuation from another browser, a forged one, and an expired one", async () => {
		const user = await userWithFullCostHash();
		const first = await startSignIn(db(), SECRET, { email: user.user.email, password: PASSWORD, binding: "browser-a" });
		expect(first.status).toBe("continue");
		if (first.status !== "continue") return;
		expect((await continueSignIn(db(), SECRET, first.token, "browser-b")).status).toBe("failed");
		expect((await continueSignIn(db(), SECRET, `${first.token}x`, "browser-a")).status).toBe("failed");
		expect(
			(await continueSignIn(db(), "another-secret-another-secret-0123456789", first.token, "browser-a")).status,
		).toBe("failed");
		expect((await continueSignIn(db(), SECRET, first.token, "browser-a", Date.now() + 10 * 60_000)).status).toBe(
			"failed",
		);
		expect((await continueSignIn(db(), SECRET, first.token, "browser-a")).status).toBe("continue");
	}, 30_000);

	it("checks an old-format hash at once and replaces it with a chain over the following requests", async () => {
		const user = await createTestUser();
		await db()
			.update(users)
			.set({ passwordHash: await legacyHash(PASSWORD, 1000) })
			.where(eq(users.id, user.user.id));
		expect((await signIn(user.user.email, "wrong password!")).requests).toBe(1);
		const { step, requests } = await signIn(user.user.email, PASSWORD);
		expect(step.status).toBe("signed-in");
		expect(requests).toBe(1 + PASSWORD_COST.links);
		const [stored] = await db().select().from(users).where(eq(users.id, user.user.id));
		expect(stored?.passwordHash).toMatch(/^pbkdf2-sha256-chain\$50000\$12\$/);
		expect((await signIn(user.user.email, PASSWORD)).step.status).toBe("signed-in");
	}, 60_000);

	it("finishes in the first request when the hash is cheap enough", async () => {
		const user = await createTestUser();
		expect(await signIn(user.user.email, PASSWORD)).toMatchObject({ step: { status: "signed-in" }, requests: 1 });
	});
});

it("checks credentials in one go for callers that cannot spread the work, re-hashing an old hash", async () => {
	const user = await createTestUser();
	await db()
		.update(users)
		.set({ passwordHash: await legacyHash("old weak hash pw", 1000) })
		.where(eq(users.id, user.user.id));
	expect(await checkCredentials(db(), user.user.email, "wrong password")).toBeUndefined();
	const result = await checkCredentials(db(), user.user.email.toUpperCase(), "old weak hash pw");
	expect(result?.account.id).toBe(user.account.id);
	const [stored] = await db().select().from(users).where(eq(users.id, user.user.id));
	expect(stored?.passwordHash).toMatch(/^pbkdf2-sha256-chain\$/);
	expect(stored?.lastSignInAt).toBeInstanceOf(Date);
	expect(await checkCredentials(db(), user.user.email, "old weak hash pw")).toBeDefined();
	expect(await checkCredentials(db(), "nobody@example.com", "whatever pw")).toBeUndefined();
}, 30_000);
