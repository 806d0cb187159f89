import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main";
import { apiWithVars } from "../helpers/modes";
import { CookieJar, followPasswordSteps, formField, formPost, pageGet, registerApp } from "../helpers/oauth";
import { expectMatchesSchema } from "../helpers/openapi";
import { api } from "../helpers/users";

let counter = 0;
const unique = () => `new${Date.now().toString(36)}${++counter}`;

async function appToken(): Promise<string> {
	const app = await registerApp({ scopes: "read write follow" });
	const response = await api("/oauth/token", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({
			grant_type: "client_credentials",
			client_id: app.client_id,
			client_secret: app.client_secret,
			scope: "read write follow",
		}),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

function signUpBody(username: string, extra: Record<string, unknown> = {}) {
	return JSON.stringify({
		username,
		email: `${username}@example.com`,
		password: "a long enough password",
		agreement: true,
		locale: "en",
		...extra,
	});
}

describe("POST /api/v1/accounts", () => {
	it("signs up with an app token and returns a working user token (open mode)", async () => {
		const token = await appToken();
		const username = unique();
		const response = await api("/api/v1/accounts", {
			method: "POST",
			token,
			headers: { "Content-Type": "application/json" },
			body: signUpBody(username),
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { access_token: string };
		expectMatchesSchema("POST", "/api/v1/accounts", 200, body);
		const me = await api("/api/v1/accounts/verify_credentials", { token: body.access_token });
		expect(me.status).toBe(200);
		expect(((await me.json()) as { username: string }).username).toBe(username);
	});

	it("refuses without agreement, with a taken name, and without an app token", async () => {
		const token = await appToken();
		const noAgreement = await api("/api/v1/accounts", {
			method: "POST",
			token,
			headers: { "Content-Type": "application/json" },
			body: signUpBody(unique(), { agreement: false }),
		});
		expect(noAgreement.status).toBe(422);
		const username = unique();
		const post = () =>
			api("/api/v1/accounts", {
				method: "POST",
				token,
				headers: { "Content-Type": "application/json" },
				body: signUpBody(username),
			});
		expect((await post()).status).toBe(200);
		const taken = await post();
		expect(taken.status).toBe(422);
		expect(((await taken.json()) as { error: string }).error).toMatch(/taken/);
		expect(
			(
				await api("/api/v1/accounts", {
					method: "POST",
					body: signUpBody(unique()),
					headers: { "Content-Type": "application/json" },
				})
			).status,
		).toBe(401);
	});

	it("keeps approval-mode accounts pending until `tern user approve`", async () => {
		const token = await appToken();
		const username = unique();
		const response = await apiWithVars({ REGISTRATION_MODE: "approval" }, "/api/v1/accounts", {
			method: "POST",
			token,
			headers: { "Content-Type": "application/json" },
			body: signUpBody(username, { reason: "I like terns" }),
		});
		expect(response.status).toBe(200);
		const { access_token } = (await response.json()) as { access_token: string };
		const pending = await api("/api/v1/accounts/verify_credentials", { token: access_token });
		expect(pending.status).toBe(403);
		expect(await pending.json()).toEqual({ error: "Your login is currently pending approval" });
		const out: string[] = [];
		const code = await runCli(["user", "approve", username], env, { out: (l) => out.push(l), err: (l) => out.push(l) });
		expect(code, out.join("\n")).toBe(0);
		expect((await api("/api/v1/accounts/verify_credentials", { token: access_token })).status).toBe(200);
	});

	it("answers 403 and creates nothing when sign-ups are closed", async () => {
		const token = await appToken();
		const username = unique();
		const response = await apiWithVars({ REGISTRATION_MODE: "closed" }, "/api/v1/accounts", {
			method: "POST",
			token,
			headers: { "Content-Type": "application/json" },
			body: signUpBody(username),
		});
		expect(response.status).toBe(403);
		const out: string[] = [];
		await runCli(["user", "list"], env, { out: (l) => out.push(l), err: (l) => out.push(l) });
		expect(out.join("\n")).not.toContain(username);
	});
});

describe("/auth/sign_up", () => {
	it("signs up on the web page and queues key generation", async () => {
		const jar = new CookieJar();
		const page = await pageGet("/auth/sign_up", jar);
		expect(page.status).toBe(200);
		const username = unique();
		const csrf = formField(await page.text(), "authenticity_token") ?? "";
		const { response, steps } = await followPasswordSteps(
			await formPost("/auth/sign_up", jar, {
				authenticity_token: csrf,
				username,
				email: `${username}@example.com`,
				password: "a long enough password",
				agreement: "1",
			}),
			jar,
		);
		expect(response.status).toBe(200);
		expect(await response.text()).toContain("Your account is ready");
		expect(jar.cookies.has("tern_session")).toBe(true);
		// The password was hashed a chain link per request: twelve at today's cost, the first in the form's request.
		expect(steps).toBe(11);
		// A name taken meanwhile is found at the end, and the form comes back with what was typed.
		const again = await followPasswordSteps(
			await formPost("/auth/sign_up", jar, {
				authenticity_token: csrf,
				username,
				email: `other-${username}@example.com`,
				password: "a long enough password",
				agreement: "1",
			}),
			jar,
		);
		expect(again.response.status).toBe(422);
		expect(await again.response.text()).toContain(`other-${username}@example.com`);
	});

	it("refuses a form without its CSRF token", async () => {
		const jar = new CookieJar();
		await pageGet("/auth/sign_up", jar);
		const response = await formPost("/auth/sign_up", jar, {
			authenticity_token: "forged",
			username: unique(),
			email: "x@example.com",
			password: "a long enough password",
			agreement: "1",
		});
		expect(response.status).toBe(403);
	});

	it("says sign-ups are closed, and refuses the POST with 403", async () => {
		const page = await apiWithVars({ REGISTRATION_MODE: "closed" }, "/auth/sign_up");
		expect(await page.text()).toContain("closed");
		const post = await apiWithVars({ REGISTRATION_MODE: "closed" }, "/auth/sign_up", {
			method: "POST",
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: "username=x&email=x%40example.com&password=abcdefghij&agreement=1",
		});
		expect(post.status).toBe(403);
	});
});
