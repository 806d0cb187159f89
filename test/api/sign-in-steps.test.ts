import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../src/db/schema";
import { hashPassword, PASSWORD_COST } from "../../src/lib/crypto/password";
import { CookieJar, formField, formPost, PASSWORD, pageGet } from "../helpers/oauth";
import { createTestUser, db } from "../helpers/users";

/** A user whose password hash has today's full cost, so signing in takes several requests. */
async function fullCostUser() {
	const user = await createTestUser();
	await db()
		.update(users)
		.set({ passwordHash: await hashPassword(PASSWORD) })
		.where(eq(users.id, user.user.id));
	return user;
}

/** Posts the sign-in form and follows its continuations, as a browser follows 303s; returns every response. */
async function signInThroughSteps(jar: CookieJar, email: string, password: string): Promise<Response[]> {
	const page = await pageGet("/auth/sign_in", jar);
	const responses = [
		await formPost("/auth/sign_in", jar, {
			authenticity_token: formField(await page.text(), "authenticity_token") ?? "",
			email,
			password,
		}),
	];
	for (;;) {
		const last = responses.at(-1) as Response;
		const location = last.headers.get("Location");
		if (last.status !== 303 || !location?.startsWith("/auth/sign_in/continue")) return responses;
		responses.push(await pageGet(location, jar));
	}
}

describe("signing in with a full-cost password hash", () => {
	it("answers each request with a 303 to the next until the session starts", async () => {
		const user = await fullCostUser();
		const jar = new CookieJar();
		const responses = await signInThroughSteps(jar, user.user.email, PASSWORD);
		expect(responses).toHaveLength(PASSWORD_COST.links);
		for (const step of responses.slice(0, -1)) {
			expect(step.status).toBe(303);
			expect(step.headers.get("Cache-Control")).toBe("no-store");
			expect(step.headers.getSetCookie().some((c) => c.startsWith("tern_session="))).toBe(false);
		}
		const last = responses.at(-1) as Response;
		expect(last.status).toBe(200);
		expect(await last.text()).toContain(`signed in as @${user.account.username}`);
		expect(last.headers.getSetCookie().some((c) => c.startsWith("tern_session="))).toBe(true);
	}, 60_000);

	it("fails a wrong password at the last step, and a continuation in another browser at once", async () => {
		const user = await fullCostUser();
		const jar = new CookieJar();
		const responses = await signInThroughSteps(jar, user.user.email, "wrong password!");
		expect(responses).toHaveLength(PASSWORD_COST.links);
		const last = responses.at(-1) as Response;
		expect(last.status).toBe(401);
		expect(await last.text()).toContain("Invalid email or password");

		const stolen = responses[0]?.headers.get("Location") ?? "";
		const elsewhere = await pageGet(stolen, new CookieJar());
		expect(elsewhere.status).toBe(401);
	}, 60_000);
});
