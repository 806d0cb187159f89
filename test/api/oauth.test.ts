import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "../../src/db/schema";
import { base64UrlToBytes } from "../../src/lib/base64";
import {
	CookieJar,
	formField,
	formPost,
	PASSWORD,
	pageGet,
	type RegisteredTestApp,
	registerApp,
	s256,
	signInAt,
} from "../helpers/oauth";
import { expectMatchesSchema } from "../helpers/openapi";
import { api, createTestUser, db } from "../helpers/users";

const REDIRECT = "https://client.example/callback";
const VERIFIER = `${"a".repeat(20)}-._~${"Z9".repeat(20)}`;

function authorizePath(app: RegisteredTestApp, extra: Record<string, string> = {}): string {
	const query = new URLSearchParams({
		response_type: "code",
		client_id: app.client_id,
		redirect_uri: REDIRECT,
		scope: "read write",
		state: "xyz 123",
		...extra,
	});
	return `/oauth/authorize?${query}`;
}

async function tokenRequest(fields: Record<string, string>, headers: Record<string, string> = {}) {
	return api("/oauth/token", {
		method: "POST",
		headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
		body: new URLSearchParams(fields).toString(),
	});
}

/** Signs in, approves, and returns the code from the redirect. */
async function obtainCode(app: RegisteredTestApp, email: string, extra: Record<string, string> = {}) {
	const jar = new CookieJar();
	const consent = await signInAt(authorizePath(app, extra), jar, email, PASSWORD);
	const fields: Record<string, string> = { decision: "approve" };
	for (const name of [
		"authenticity_token",
		"client_id",
		"redirect_uri",
		"scope",
		"state",
		"code_challenge",
		"code_challenge_method",
		"response_type",
	]) {
		const value = formField(consent, name);
		if (value !== undefined) fields[name] = value;
	}
	const approved = await formPost("/oauth/authorize", jar, fields);
	expect(approved.status).toBe(302);
	const location = new URL(approved.headers.get("Location") ?? "");
	return { code: location.searchParams.get("code") ?? "", location, jar, fields };
}

describe("POST /api/v1/apps", () => {
	it("registers an app from JSON and answers a CredentialApplication", async () => {
		const response = await api("/api/v1/apps", {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({
				client_name: "Elk",
				redirect_uris: [REDIRECT, "com.example.app:/callback"],
				scopes: "read write follow push",
				website: "https://elk.zone",
			}),
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as Record<string, unknown>;
		expectMatchesSchema("POST", "/api/v1/apps", 200, body);
		// The instance's VAPID key: an uncompressed P-256 point, base64url.
		expect(body.vapid_key).toMatch(/^[A-Za-z0-9_-]{87}$/);
		expect(base64UrlToBytes(body.vapid_key as string)[0]).toBe(4);
		expect(body).toMatchObject({
			name: "Elk",
			website: "https://elk.zone",
			scopes: ["read", "write", "follow", "push"],
			redirect_uri: `${REDIRECT}\ncom.example.app:/callback`,
			redirect_uris: [REDIRECT, "com.example.app:/callback"],
			client_secret_expires_at: 0,
		});
		expect(body.client_id).toEqual(expect.any(String));
		expect(body.client_secret).toEqual(expect.any(String));
	});

	it("accepts a form body, newline-separated URIs, and query parameters", async () => {
		const form = await api("/api/v1/apps", {
			method: "POST",
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: new URLSearchParams({ client_name: "Form", redirect_uris: `${REDIRECT}\nurn:ietf:wg:oauth:2.0:oob` }),
		});
		expect(form.status).toBe(200);
		const formBody = (await form.json()) as Record<string, unknown>;
		expect(formBody.redirect_uris).toEqual([REDIRECT, "urn:ietf:wg:oauth:2.0:oob"]);
		expect(formBody.scopes).toEqual(["read"]);

		const query = await api(
			`/api/v1/apps?client_name=Query&redirect_uris=${encodeURIComponent(REDIRECT)}&scopes=read%20write`,
			{ method: "POST" },
		);
		expect(query.status).toBe(200);
		expect(((await query.json()) as Record<string, unknown>).scopes).toEqual(["read", "write"]);
	});

	it("refuses unknown scopes, missing names and bad redirect URIs with 422", async () => {
		const cases = [
			{ client_name: "x", redirect_uris: REDIRECT, scopes: "read sudo" },
			{ client_name: "", redirect_uris: REDIRECT },
			{ client_name: "x", redirect_uris: "" },
			{ client_name: "x", redirect_uris: "not a uri" },
			{ client_name: "x", redirect_uris: "javascript:alert(1)" },
			{ client_name: "x", redirect_uris: "https://a.example/cb#frag" },
		];
		for (const body of cases) {
			const response = await api("/api/v1/apps", {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify(body),
			});
			expect(response.status, JSON.stringify(body)).toBe(422);
			expect(((await response.json()) as { error: string }).error).toMatch(/^Validation failed/);
		}
	});
});

describe("discovery", () => {
	it("serves RFC 8414 metadata", async () => {
		const response = await api("/.well-known/oauth-authorization-server");
		expect(response.status).toBe(200);
		const body = (await response.json()) as Record<string, unknown>;
		expectMatchesSchema("GET", "/.well-known/oauth-authorization-server", 200, body);
		expect(body).toMatchObject({
			issuer: "https://tern.test/",
			authorization_endpoint: "https://tern.test/oauth/authorize",
			token_endpoint: "https://tern.test/oauth/token",
			code_challenge_methods_supported: ["S256"],
			response_types_supported: ["code"],
			grant_types_supported: ["authorization_code", "client_credentials"],
		});
		expect(body.scopes_supported).toContain("write:media");
	});
});

describe("authorization code flow", () => {
	it("signs in, asks consent, and exchanges a PKCE code for a working token", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const challenge = await s256(VERIFIER);
		const { code, location } = await obtainCode(app, user.user.email, {
			code_challenge: challenge,
			code_challenge_method: "S256",
		});
		expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
		expect(location.searchParams.get("state")).toBe("xyz 123");

		const token = await tokenRequest({
			grant_type: "authorization_code",
			code,
			client_id: app.client_id,
			client_secret: app.client_secret,
			redirect_uri: REDIRECT,
			code_verifier: VERIFIER,
			scope: "read write",
		});
		expect(token.status).toBe(200);
		expect(token.headers.get("Cache-Control")).toBe("no-store");
		const body = (await token.json()) as Record<string, unknown>;
		expectMatchesSchema("POST", "/oauth/token", 200, body);
		expect(body).toMatchObject({ token_type: "Bearer", scope: "read write" });
		expect(typeof body.created_at).toBe("number");
		expect(body.created_at as number).toBeLessThan(1e11);

		const accessToken = body.access_token as string;
		const me = await api("/api/v1/accounts/verify_credentials", { token: accessToken });
		expect(me.status).toBe(200);
		expect(((await me.json()) as { id: string }).id).toBe(user.account.id);

		const appInfo = await api("/api/v1/apps/verify_credentials", { token: accessToken });
		expect(appInfo.status).toBe(200);
		const appBody = (await appInfo.json()) as Record<string, unknown>;
		expectMatchesSchema("GET", "/api/v1/apps/verify_credentials", 200, appBody);
		expect(appBody.vapid_key).toMatch(/^[A-Za-z0-9_-]{87}$/);
		expect(appBody).toMatchObject({ id: app.id, name: "Test client" });
	});

	it("sets the session cookie HttpOnly, Secure and SameSite=Lax", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const jar = new CookieJar();
		const page = await pageGet(authorizePath(app), jar);
		const html = await page.text();
		const response = await formPost("/auth/sign_in", jar, {
			authenticity_token: formField(html, "authenticity_token") ?? "",
			return_to: formField(html, "return_to") ?? "",
			email: user.user.email,
			password: PASSWORD,
		});
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith("tern_session="));
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/Secure/);
		expect(cookie).toMatch(/SameSite=Lax/);
		expect(page.headers.get("X-Frame-Options")).toBe("DENY");
	});

	it("works without PKCE, with plain PKCE, and with HTTP Basic client authentication", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const basic = `Basic ${btoa(`${app.client_id}:${app.client_secret}`)}`;
		const plain = await obtainCode(app, user.user.email, { code_challenge: VERIFIER, code_challenge_method: "plain" });
		const first = await tokenRequest(
			{ grant_type: "authorization_code", code: plain.code, redirect_uri: REDIRECT, code_verifier: VERIFIER },
			{ Authorization: basic },
		);
		expect(first.status).toBe(200);
		const none = await obtainCode(app, user.user.email);
		const second = await tokenRequest(
			{ grant_type: "authorization_code", code: none.code, redirect_uri: REDIRECT },
			{ Authorization: basic },
		);
		expect(second.status).toBe(200);
	});

	it("refuses a PKCE verifier that does not match", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const { code } = await obtainCode(app, user.user.email, {
			code_challenge: await s256(VERIFIER),
			code_challenge_method: "S256",
		});
		const response = await tokenRequest({
			grant_type: "authorization_code",
			code,
			client_id: app.client_id,
			client_secret: app.client_secret,
			redirect_uri: REDIRECT,
			code_verifier: "b".repeat(50),
		});
		expect(response.status).toBe(400);
		const body = (await response.json()) as Record<string, unknown>;
		expectMatchesSchema("POST", "/oauth/token", 400, body);
		expect(body.error).toBe("invalid_grant");
	});

	it("uses a code once: a replay fails and revokes the token it gave", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const { code } = await obtainCode(app, user.user.email);
		const fields = {
			grant_type: "authorization_code",
			code,
			client_id: app.client_id,
			client_secret: app.client_secret,
			redirect_uri: REDIRECT,
		};
		const first = await tokenRequest(fields);
		expect(first.status).toBe(200);
		const { access_token } = (await first.json()) as { access_token: string };
		const replay = await tokenRequest(fields);
		expect(replay.status).toBe(400);
		expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");
		expect((await api("/api/v1/accounts/verify_credentials", { token: access_token })).status).toBe(401);
	});

	it("refuses a different redirect_uri, a wrong secret and an unknown grant type", async () => {
		const user = await createTestUser();
		const app = await registerApp({ redirectUris: `${REDIRECT} https://client.example/other` });
		const { code } = await obtainCode(app, user.user.email);
		const mismatch = await tokenRequest({
			grant_type: "authorization_code",
			code,
			client_id: app.client_id,
			client_secret: app.client_secret,
			redirect_uri: "https://client.example/other",
		});
		expect(mismatch.status).toBe(400);
		expect(((await mismatch.json()) as { error: string }).error).toBe("invalid_grant");

		const badSecret = await tokenRequest({
			grant_type: "client_credentials",
			client_id: app.client_id,
			client_secret: "wrong",
		});
		expect(badSecret.status).toBe(401);
		expect(((await badSecret.json()) as { error: string }).error).toBe("invalid_client");

		const password = await tokenRequest({
			grant_type: "password",
			client_id: app.client_id,
			client_secret: app.client_secret,
			username: user.user.email,
			password: PASSWORD,
		});
		expect(password.status).toBe(400);
		expect(((await password.json()) as { error: string }).error).toBe("unsupported_grant_type");
	});

	it("redirects with access_denied and the state when the user denies", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const jar = new CookieJar();
		const consent = await signInAt(authorizePath(app), jar, user.user.email, PASSWORD);
		const denied = await formPost("/oauth/authorize", jar, {
			authenticity_token: formField(consent, "authenticity_token") ?? "",
			client_id: app.client_id,
			redirect_uri: REDIRECT,
			scope: "read write",
			state: "s1",
			response_type: "code",
			decision: "deny",
		});
		expect(denied.status).toBe(302);
		const location = new URL(denied.headers.get("Location") ?? "");
		expect(location.searchParams.get("error")).toBe("access_denied");
		expect(location.searchParams.get("state")).toBe("s1");
		expect(location.searchParams.get("code")).toBeNull();
	});

	it("refuses a consent form without the session's CSRF token", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const jar = new CookieJar();
		await signInAt(authorizePath(app), jar, user.user.email, PASSWORD);
		const forged = await formPost("/oauth/authorize", jar, {
			authenticity_token: "forged",
			client_id: app.client_id,
			redirect_uri: REDIRECT,
			scope: "read",
			response_type: "code",
			decision: "approve",
		});
		expect(forged.status).toBe(403);
		expect(forged.headers.get("Location")).toBeNull();
	});

	it("refuses a sign-in form without its CSRF token, and a wrong password", async () => {
		const user = await createTestUser();
		const jar = new CookieJar();
		await pageGet("/auth/sign_in", jar);
		const forged = await formPost("/auth/sign_in", jar, {
			authenticity_token: "nope",
			email: user.user.email,
			password: PASSWORD,
		});
		expect(forged.status).toBe(403);
		expect(forged.headers.getSetCookie().some((c) => c.startsWith("tern_session="))).toBe(false);

		const page = await pageGet("/auth/sign_in", jar);
		const wrong = await formPost("/auth/sign_in", jar, {
			authenticity_token: formField(await page.text(), "authenticity_token") ?? "",
			email: user.user.email,
			password: "wrong password!",
		});
		expect(wrong.status).toBe(401);
		expect(await wrong.text()).toContain("Invalid email or password");
	});

	it("slows down password guessing: after 10 failures even the right password waits", async () => {
		const user = await createTestUser();
		const jar = new CookieJar();
		const page = await pageGet("/auth/sign_in", jar);
		const csrf = formField(await page.text(), "authenticity_token") ?? "";
		for (let i = 0; i < 10; i++) {
			const wrong = await formPost("/auth/sign_in", jar, {
				authenticity_token: csrf,
				email: user.user.email,
				password: `wrong password ${i}`,
			});
			expect(wrong.status).toBe(401);
		}
		const throttled = await formPost("/auth/sign_in", jar, {
			authenticity_token: csrf,
			email: user.user.email,
			password: PASSWORD,
		});
		expect(throttled.status).toBe(429);
		expect(throttled.headers.getSetCookie().some((c) => c.startsWith("tern_session="))).toBe(false);
	});

	it("tells a user waiting for approval that they cannot authorize apps yet", async () => {
		const user = await createTestUser();
		await db().update(users).set({ approved: false }).where(eq(users.id, user.user.id));
		const app = await registerApp();
		const jar = new CookieJar();
		const signIn = await pageGet(authorizePath(app), jar);
		const html = await signIn.text();
		const posted = await formPost("/auth/sign_in", jar, {
			authenticity_token: formField(html, "authenticity_token") ?? "",
			return_to: formField(html, "return_to") ?? "",
			email: user.user.email,
			password: PASSWORD,
		});
		const consent = await pageGet(posted.headers.get("Location") ?? "", jar);
		expect(consent.status).toBe(403);
		expect(await consent.text()).toContain("approval");
	});

	it("shows an error page (no redirect) for an unknown client or unregistered redirect_uri", async () => {
		const app = await registerApp();
		const unknown = await api(authorizePath({ ...app, client_id: "nope" }));
		expect(unknown.status).toBe(400);
		expect(unknown.headers.get("Location")).toBeNull();
		const wrongRedirect = await api(authorizePath(app, { redirect_uri: "https://evil.example/cb" }));
		expect(wrongRedirect.status).toBe(400);
		expect(wrongRedirect.headers.get("Location")).toBeNull();
	});

	it("redirects invalid_scope when asking beyond the app's scopes", async () => {
		const app = await registerApp({ scopes: "read" });
		const response = await api(authorizePath(app, { scope: "read write" }));
		expect(response.status).toBe(302);
		const location = new URL(response.headers.get("Location") ?? "");
		expect(location.searchParams.get("error")).toBe("invalid_scope");
		expect(location.searchParams.get("state")).toBe("xyz 123");
	});

	it("shows the sign-in form again with force_login=true, even when signed in", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const jar = new CookieJar();
		await signInAt(authorizePath(app), jar, user.user.email, PASSWORD);
		const again = await pageGet(authorizePath(app, { force_login: "true" }), jar);
		const html = await again.text();
		expect(html).toContain('action="/auth/sign_in"');
		expect(formField(html, "return_to")).not.toContain("force_login");
		const consent = await pageGet(authorizePath(app), jar);
		expect(await consent.text()).toContain('action="/oauth/authorize"');
	});

	it("shows the code on a page for the out-of-band redirect URI and allows custom schemes", async () => {
		const user = await createTestUser();
		const oob = await registerApp({ redirectUris: "urn:ietf:wg:oauth:2.0:oob" });
		const jar = new CookieJar();
		const path = `/oauth/authorize?response_type=code&client_id=${oob.client_id}&redirect_uri=urn:ietf:wg:oauth:2.0:oob&scope=read`;
		const consent = await signInAt(path, jar, user.user.email, PASSWORD);
		const shown = await formPost("/oauth/authorize", jar, {
			authenticity_token: formField(consent, "authenticity_token") ?? "",
			client_id: oob.client_id,
			redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
			scope: "read",
			response_type: "code",
			decision: "approve",
		});
		expect(shown.status).toBe(200);
		const code = /<code class="grant">([^<]+)<\/code>/.exec(await shown.text())?.[1];
		const token = await tokenRequest({
			grant_type: "authorization_code",
			code: code ?? "",
			client_id: oob.client_id,
			client_secret: oob.client_secret,
			redirect_uri: "urn:ietf:wg:oauth:2.0:oob",
		});
		expect(token.status).toBe(200);

		const custom = await registerApp({ redirectUris: "com.example.app:/callback" });
		const customPath = `/oauth/authorize?response_type=code&client_id=${custom.client_id}&redirect_uri=com.example.app:/callback&scope=read`;
		const customConsent = await signInAt(customPath, new CookieJar(), user.user.email, PASSWORD);
		expect(customConsent).toContain("Authorize Test client");
	});
});

describe("client credentials and revocation", () => {
	it("issues an app-only token that cannot act as a user", async () => {
		const app = await registerApp();
		const response = await tokenRequest({
			grant_type: "client_credentials",
			client_id: app.client_id,
			client_secret: app.client_secret,
			scope: "read",
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { access_token: string; scope: string };
		expectMatchesSchema("POST", "/oauth/token", 200, body);
		expect(body.scope).toBe("read");
		expect((await api("/api/v1/apps/verify_credentials", { token: body.access_token })).status).toBe(200);
		expect((await api("/api/v1/accounts/verify_credentials", { token: body.access_token })).status).toBe(401);
		const tooMuch = await tokenRequest({
			grant_type: "client_credentials",
			client_id: app.client_id,
			client_secret: app.client_secret,
			scope: "admin:read",
		});
		expect(tooMuch.status).toBe(400);
		expect(((await tooMuch.json()) as { error: string }).error).toBe("invalid_scope");
	});

	it("revokes a token (then 401), answers 200 for unknown tokens, and needs client credentials", async () => {
		const user = await createTestUser();
		const app = await registerApp();
		const { code } = await obtainCode(app, user.user.email);
		const token = await tokenRequest({
			grant_type: "authorization_code",
			code,
			client_id: app.client_id,
			client_secret: app.client_secret,
			redirect_uri: REDIRECT,
		});
		const { access_token } = (await token.json()) as { access_token: string };
		const revoke = (fields: Record<string, string>) =>
			api("/oauth/revoke", {
				method: "POST",
				headers: { "Content-Type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams(fields).toString(),
			});
		const ok = await revoke({ client_id: app.client_id, client_secret: app.client_secret, token: access_token });
		expect(ok.status).toBe(200);
		expect(await ok.json()).toEqual({});
		expect((await api("/api/v1/accounts/verify_credentials", { token: access_token })).status).toBe(401);
		const unknown = await revoke({ client_id: app.client_id, client_secret: app.client_secret, token: "unknown" });
		expect(unknown.status).toBe(200);
		const anonymous = await revoke({ token: "unknown" });
		expect(anonymous.status).toBe(401);
	});

	it("enforces the token's scopes", async () => {
		const user = await createTestUser();
		const app = await registerApp({ scopes: "write" });
		const { code } = await obtainCode(app, user.user.email, { scope: "write" });
		const token = await tokenRequest({
			grant_type: "authorization_code",
			code,
			client_id: app.client_id,
			client_secret: app.client_secret,
			redirect_uri: REDIRECT,
		});
		const { access_token, scope } = (await token.json()) as { access_token: string; scope: string };
		expect(scope).toBe("write");
		expect((await api("/api/v1/accounts/verify_credentials", { token: access_token })).status).toBe(403);
	});
});

describe("CORS", () => {
	it("answers preflights for the token endpoint and authorized API calls", async () => {
		for (const path of ["/oauth/token", "/api/v1/apps", "/api/v1/accounts/verify_credentials"]) {
			const response = await api(path, {
				method: "OPTIONS",
				headers: {
					Origin: "https://elk.zone",
					"Access-Control-Request-Method": "POST",
					"Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
				},
			});
			expect(response.status).toBe(204);
			expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
			expect(response.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("idempotency-key");
		}
		const token = await api("/oauth/token", { method: "POST", headers: { Origin: "https://elk.zone" } });
		expect(token.headers.get("Access-Control-Allow-Origin")).toBe("*");
	});
});
