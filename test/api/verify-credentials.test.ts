import { describe, expect, it } from "vitest";
import { expectMatchesSchema } from "../helpers/openapi";
import { api, createTestUser } from "../helpers/users";

const PATH = "/api/v1/accounts/verify_credentials";

describe("GET /api/v1/accounts/verify_credentials", () => {
	it("returns the full CredentialAccount for a valid token", async () => {
		const user = await createTestUser({ role: "admin" });
		const response = await api(PATH, { token: user.token });
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
		const body = (await response.json()) as Record<string, unknown>;
		expectMatchesSchema("GET", PATH, 200, body);
		expect(body).toMatchObject({
			id: user.account.id,
			username: user.account.username,
			acct: user.account.username,
			uri: `https://tern.test/users/${user.account.username}`,
			url: `https://tern.test/@${user.account.username}`,
			avatar: "https://tern.test/avatars/original/missing.png",
			locked: false,
			bot: false,
			role: { id: "2", name: "Admin", highlighted: true },
			source: { privacy: "public", sensitive: false, note: "", fields: [], follow_requests_count: 0 },
		});
		expect(body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
	});

	it("accepts the granular read:accounts and profile scopes", async () => {
		for (const scopes of ["read:accounts", "profile"]) {
			const user = await createTestUser({ scopes });
			expect((await api(PATH, { token: user.token })).status).toBe(200);
		}
	});

	it("refuses a token without a reading scope with 403", async () => {
		const user = await createTestUser({ scopes: "write" });
		const response = await api(PATH, { token: user.token });
		expect(response.status).toBe(403);
		expect(await response.json()).toEqual({ error: "This action is outside the authorized scopes" });
	});

	it("answers 401 in Mastodon's error shape without a token", async () => {
		const response = await api(PATH);
		expect(response.status).toBe(401);
		const body = await response.json();
		expectMatchesSchema("GET", PATH, 401, body);
		expect(body).toEqual({ error: "The access token is invalid" });
	});

	it("answers 401 for an unknown token and a malformed header", async () => {
		expect((await api(PATH, { token: "not-a-real-token" })).status).toBe(401);
		const malformed = await api(PATH, { headers: { Authorization: "Basic abc" } });
		expect(malformed.status).toBe(401);
	});

	it("answers 403 for an unconfirmed user", async () => {
		const user = await createTestUser({ confirmed: false });
		const response = await api(PATH, { token: user.token });
		expect(response.status).toBe(403);
		expect(await response.json()).toEqual({ error: "Your login is missing a confirmed e-mail address" });
	});

	it("serves the placeholder avatar it links to", async () => {
		const response = await api("/avatars/original/missing.png");
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toBe("image/png");
	});
});
