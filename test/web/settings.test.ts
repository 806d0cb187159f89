import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../src/db/schema";
import { hashPassword, verifyPassword } from "../../src/lib/crypto/password";
import { base32Decode, hotp, totpStep } from "../../src/lib/crypto/totp";
import { createPasswordResetLink } from "../../src/services/auth/password-reset";
import { forgetCachedSettings, writeInstanceSettings } from "../../src/services/instance/settings";
import { CookieJar, followPasswordSteps, formField, formPost, PASSWORD, pageGet } from "../helpers/oauth";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

async function signIn(user: TestUser, jar = new CookieJar(), password = PASSWORD): Promise<Response> {
	const page = await pageGet("/auth/sign_in", jar);
	const csrf = formField(await page.text(), "authenticity_token") ?? "";
	return formPost("/auth/sign_in", jar, { authenticity_token: csrf, email: user.user.email, password });
}

async function settingsForm(jar: CookieJar, path: string): Promise<string> {
	const page = await pageGet(path, jar);
	expect(page.status).toBe(200);
	return formField(await page.text(), "authenticity_token") ?? "";
}

async function currentCode(secret: string, offsetSteps = 0): Promise<string> {
	return hotp(base32Decode(secret), totpStep(Date.now()) + offsetSteps);
}

describe("settings", () => {
	it("sends visitors who are not signed in to sign in, and back", async () => {
		const response = await api("/settings/profile");
		expect(response.status).toBe(303);
		expect(response.headers.get("Location")).toBe("/auth/sign_in?return_to=%2Fsettings%2Fprofile");
	});

	it("edits the profile and preferences", async () => {
		const user = await createTestUser();
		const jar = new CookieJar();
		expect((await signIn(user, jar)).headers.get("Location")).toBe("/settings");
		const csrf = await settingsForm(jar, "/settings/profile");
		const saved = await formPost("/settings/profile", jar, {
			authenticity_token: csrf,
			display_name: "Arctic Tern",
			note: "I fly far",
			"fields_attributes[0][name]": "Site",
			"fields_attributes[0][value]": "tern.example",
			bot: "1",
		});
		expect(saved.status).toBe(200);
		expect(await saved.text()).toContain("Profile saved.");
		const prefs = await formPost("/settings/preferences", jar, {
			authenticity_token: csrf,
			privacy: "unlisted",
			language: "fr",
			noindex: "1",
		});
		expect(prefs.status).toBe(200);
		const me = await api("/api/v1/accounts/verify_credentials", { token: user.token });
		const json = (await me.json()) as Record<string, unknown> & { source: Record<string, unknown> };
		expect(json.display_name).toBe("Arctic Tern");
		expect(json.bot).toBe(true);
		expect(json.noindex).toBe(true);
		expect(json.source.privacy).toBe("unlisted");
		expect(json.source.language).toBe("fr");
	});

	it("refuses a form without the session's token", async () => {
		const user = await createTestUser();
		const jar = new CookieJar();
		await signIn(user, jar);
		const response = await formPost("/settings/account/password", jar, {
			authenticity_token: "forged",
			current_password: PASSWORD,
			password: "another long password",
		});
		expect(response.status).toBe(403);
	});

	it("changes the password with the current one and signs out apps and other browsers", async () => {
		const user = await createTestUser();
		const other = new CookieJar();
		await signIn(user, other);
		const jar = new CookieJar();
		await signIn(user, jar);
		const csrf = await settingsForm(jar, "/settings/account");
		const wrong = await formPost("/settings/account/password", jar, {
			authenticity_token: csrf,
			current_password: "not it at all",
			password: "a brand new password",
		});
		expect(wrong.status).toBe(422);
		const { response: changed, steps } = await followPasswordSteps(
			await formPost("/settings/account/password", jar, {
				authenticity_token: csrf,
				current_password: PASSWORD,
				password: "a brand new password",
			}),
			jar,
		);
		expect(changed.status).toBe(200);
		expect(await changed.text()).toContain("Password changed.");
		// The (cheap) check in the form's request, then the new password hashed a link per request: twelve at today's cost.
		expect(steps).toBe(12);
		expect((await api("/api/v1/accounts/verify_credentials", { token: user.token })).status).toBe(401);
		expect((await pageGet("/settings/profile", other)).status).toBe(303);
		expect((await pageGet("/settings/profile", jar)).status).toBe(200);
		expect((await signIn(user, new CookieJar(), "a brand new password")).status).toBe(303);
	});

	it("checks a full-cost password over requests that each run one link, and refuses a step from another session", async () => {
		const user = await createTestUser();
		const jar = new CookieJar();
		await signIn(user, jar);
		// A stored hash at today's cost (test users get a cheap one), so the check itself takes twelve links.
		await db()
			.update(users)
			.set({ passwordHash: await hashPassword(PASSWORD) })
			.where(eq(users.id, user.user.id));
		const csrf = await settingsForm(jar, "/settings/account");
		const first = await formPost("/settings/account/password", jar, {
			authenticity_token: csrf,
			current_password: PASSWORD,
			password: "yet another new password",
		});
		expect(first.status).toBe(303);
		// Another browser cannot carry the work on: it is bound to this session.
		const stranger = new CookieJar();
		await signIn(await createTestUser(), stranger);
		const stolen = await pageGet(first.headers.get("Location") as string, stranger);
		expect(stolen.status).toBe(403);
		const { response, steps, pauses } = await followPasswordSteps(first, jar);
		expect(await response.text()).toContain("Password changed.");
		// Twelve links to check and twelve to hash, one per request; a page that moves on by itself every ten.
		expect(steps).toBe(23);
		expect(pauses).toBe(2);
		const [changed] = await db().select().from(users).where(eq(users.id, user.user.id));
		expect((await verifyPassword("yet another new password", changed?.passwordHash ?? "")).ok).toBe(true);

		const email = await followPasswordSteps(
			await formPost("/settings/account/email", jar, {
				authenticity_token: csrf,
				email: `renamed-${user.user.id}@tern.test`,
				current_password: "not the password",
			}),
			jar,
		);
		expect(email.response.status).toBe(422);
		const [unchanged] = await db().select().from(users).where(eq(users.id, user.user.id));
		expect(unchanged?.email).toBe(user.user.email);
	});

	it("turns on two-factor sign-in and asks for a code at sign-in, once per code", async () => {
		const user = await createTestUser();
		const jar = new CookieJar();
		await signIn(user, jar);
		const csrf = await settingsForm(jar, "/settings/two_factor");
		const begun = await (await formPost("/settings/two_factor/begin", jar, { authenticity_token: csrf })).text();
		const secret = /id="totp-secret">([A-Z2-7]+)</.exec(begun)?.[1] as string;
		expect(secret).toBeTruthy();
		expect(begun).toContain("<svg");
		const confirmed = await formPost("/settings/two_factor/confirm", jar, {
			authenticity_token: csrf,
			code: await currentCode(secret, -1),
		});
		const page = await confirmed.text();
		expect(page).toContain("Two-factor sign-in is on.");
		const recovery = [...page.matchAll(/<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g)].map(
			(m) => m[1] as string,
		);
		expect(recovery).toHaveLength(10);

		const browser = new CookieJar();
		const step = await signIn(user, browser);
		expect(step.status).toBe(200);
		const stepCsrf = formField(await step.text(), "authenticity_token") ?? "";
		const code = await currentCode(secret);
		const done = await formPost("/auth/sign_in/two_factor", browser, { authenticity_token: stepCsrf, code });
		expect(done.status).toBe(303);
		expect((await pageGet("/settings/profile", browser)).status).toBe(200);

		// The same code again is refused; a recovery code works once.
		const replay = new CookieJar();
		const again = await signIn(user, replay);
		const againCsrf = formField(await again.text(), "authenticity_token") ?? "";
		expect((await formPost("/auth/sign_in/two_factor", replay, { authenticity_token: againCsrf, code })).status).toBe(
			401,
		);
		const byRecovery = await formPost("/auth/sign_in/two_factor", replay, {
			authenticity_token: againCsrf,
			code: recovery[0] as string,
		});
		expect(byRecovery.status).toBe(303);
		const third = new CookieJar();
		const thirdCsrf = formField(await (await signIn(user, third)).text(), "authenticity_token") ?? "";
		expect(
			(
				await formPost("/auth/sign_in/two_factor", third, {
					authenticity_token: thirdCsrf,
					code: recovery[0] as string,
				})
			).status,
		).toBe(401);

		// New recovery codes and turning it off ask for the password first, then (to turn it off) a code.
		const codesPage = await followPasswordSteps(
			await formPost("/settings/two_factor/recovery_codes", jar, {
				authenticity_token: csrf,
				current_password: PASSWORD,
			}),
			jar,
		);
		expect(await codesPage.response.text()).toContain("New recovery codes made");
		const wrongPassword = await followPasswordSteps(
			await formPost("/settings/two_factor/disable", jar, {
				authenticity_token: csrf,
				current_password: "not the password",
				code: await currentCode(secret),
			}),
			jar,
		);
		expect(wrongPassword.response.status).toBe(422);
		const wrongCode = await followPasswordSteps(
			await formPost("/settings/two_factor/disable", jar, {
				authenticity_token: csrf,
				current_password: PASSWORD,
				code: "000000",
			}),
			jar,
		);
		expect(wrongCode.response.status).toBe(422);
		const [still] = await db().select().from(users).where(eq(users.id, user.user.id));
		expect(still?.otpEnabledAt).not.toBeNull();
		const off = await followPasswordSteps(
			await formPost("/settings/two_factor/disable", jar, {
				authenticity_token: csrf,
				current_password: PASSWORD,
				code: await currentCode(secret, 1),
			}),
			jar,
		);
		expect(await off.response.text()).toContain("Two-factor sign-in is off.");
	});

	it("deletes the account only with the right password", async () => {
		const user = await createTestUser();
		const jar = new CookieJar();
		await signIn(user, jar);
		const page = await pageGet("/settings/delete", jar);
		const csrf = formField(await page.text(), "authenticity_token") ?? "";
		const wrong = await followPasswordSteps(
			await formPost("/settings/delete", jar, { authenticity_token: csrf, password: "not the password" }),
			jar,
		);
		expect(wrong.response.status).toBe(422);
		expect(await db().select().from(users).where(eq(users.id, user.user.id))).toHaveLength(1);
		const done = await followPasswordSteps(
			await formPost("/settings/delete", jar, { authenticity_token: csrf, password: PASSWORD }),
			jar,
		);
		expect(await done.response.text()).toContain("Your account is deleted.");
		expect(await db().select().from(users).where(eq(users.id, user.user.id))).toEqual([]);
	});

	it("sends staff to set up two-factor sign-in when the admin requires it", async () => {
		const admin = await createTestUser({ role: "admin" });
		await writeInstanceSettings(db(), { requireStaffTwoFactor: "true" });
		forgetCachedSettings(env);
		try {
			const jar = new CookieJar();
			expect((await signIn(admin, jar)).headers.get("Location")).toBe("/settings/two_factor");
			const profile = await pageGet("/settings/profile", jar);
			expect(profile.status).toBe(303);
			expect(profile.headers.get("Location")).toBe("/settings/two_factor");
		} finally {
			await writeInstanceSettings(db(), { requireStaffTwoFactor: "" });
			forgetCachedSettings(env);
		}
	});

	it("lists authorized apps and revokes one: its token stops working", async () => {
		const user = await createTestUser();
		const { registerApplication } = await import("../../src/services/auth/oauth");
		const { issueAccessToken } = await import("../../src/services/auth/tokens");
		const { app } = await registerApplication(db(), {
			name: "Revokable",
			redirectUris: ["https://a.example/cb"],
			scopes: "read",
			website: undefined,
		});
		const token = await issueAccessToken(db(), { userId: user.user.id, applicationId: app.id, scopes: "read" });
		const jar = new CookieJar();
		await signIn(user, jar);
		const page = await (await pageGet("/settings/apps", jar)).text();
		expect(page).toContain("Revokable");
		const csrf = formField(page, "authenticity_token") ?? "";
		const revoked = await formPost("/settings/apps/revoke", jar, { authenticity_token: csrf, application_id: app.id });
		expect(revoked.status).toBe(200);
		expect((await api("/api/v1/accounts/verify_credentials", { token: token.accessToken })).status).toBe(401);
	});
});

describe("password reset links", () => {
	it("work once within the hour and end every session", async () => {
		const user = await createTestUser();
		const admin = await createTestUser({ role: "admin" });
		const link = await createPasswordResetLink(db(), "https://tern.test", { target: user.user, createdBy: admin.user });
		const path = new URL(link.url).pathname;
		const jar = new CookieJar();
		const form = await pageGet(path, jar);
		expect(form.status).toBe(200);
		const csrf = formField(await form.text(), "authenticity_token") ?? "";
		const { response: done, steps } = await followPasswordSteps(
			await formPost(path, jar, { authenticity_token: csrf, password: "reset to something long" }),
			jar,
		);
		expect(done.status).toBe(200);
		expect(await done.text()).toContain("Your new password is set");
		// Hashed a link per request, the last one storing it.
		expect(steps).toBe(11);
		expect((await api("/api/v1/accounts/verify_credentials", { token: user.token })).status).toBe(401);
		const [reset] = await db().select().from(users).where(eq(users.id, user.user.id));
		expect((await verifyPassword("reset to something long", reset?.passwordHash ?? "")).ok).toBe(true);
		expect((await pageGet(path, new CookieJar())).status).toBe(404);
	});

	it("refuse expired links, and moderators resetting admins", async () => {
		const user = await createTestUser();
		const moderator = await createTestUser({ role: "moderator" });
		const admin = await createTestUser({ role: "admin" });
		const old = await createPasswordResetLink(
			db(),
			"https://tern.test",
			{ target: user.user, createdBy: admin.user },
			new Date(Date.now() - 61 * 60_000),
		);
		expect((await pageGet(new URL(old.url).pathname, new CookieJar())).status).toBe(404);
		await expect(
			createPasswordResetLink(db(), "https://tern.test", { target: admin.user, createdBy: moderator.user }),
		).rejects.toThrow(/moderator/);
	});

	it("without email, the forgotten-password page says whom to ask", async () => {
		const page = await (await api("/auth/password/forgot")).text();
		expect(page).toContain("admin@tern.test");
		expect(page).not.toContain('name="email"');
	});
});

describe("reset links by email", () => {
	it("are sent to the account's address when the instance has an email binding, and to nobody else", async () => {
		const { sendResetEmail } = await import("../../src/services/auth/reset-email");
		const { config } = await import("../helpers/users");
		const user = await createTestUser();
		const sent: { from: string; to: string; raw: string }[] = [];
		const binding = {
			async send(message: { from: string; to: string; raw: string }) {
				sent.push(message);
			},
		};
		const make = (from: string, to: string, raw: string) => ({ from, to, raw }) as never;
		await sendResetEmail(db(), { EMAIL: binding as never }, config(), user.user.email, new Date(), make);
		await sendResetEmail(db(), { EMAIL: binding as never }, config(), "nobody@nowhere.example", new Date(), make);
		expect(sent).toHaveLength(1);
		expect(sent[0]?.to).toBe(user.user.email);
		expect(sent[0]?.from).toBe("noreply@tern.test");
		const link = /https:\/\/tern\.test\/auth\/password\/reset\/[A-Za-z0-9_-]+/.exec(sent[0]?.raw ?? "")?.[0] as string;
		expect((await api(new URL(link).pathname)).status).toBe(200);
		const { passwordResets } = await import("../../src/db/schema");
		const { eq } = await import("drizzle-orm");
		const links = await db().select().from(passwordResets).where(eq(passwordResets.userId, user.user.id));
		expect(links).toHaveLength(1);
		expect(links[0]?.createdByUserId).toBeNull();
	});
});
