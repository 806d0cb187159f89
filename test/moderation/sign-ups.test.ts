import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { notifications, users } from "../../src/db/schema";
import { SIGN_UP_LIMIT } from "../../src/services/moderation/sign-ups";
import { apiJson, captureOutbox, createStaff, uniqueDomain } from "../helpers/moderation";
import { apiWithVars } from "../helpers/modes";
import { CookieJar, formField, formPost, PASSWORD, pageGet, registerApp } from "../helpers/oauth";
import { expectMatchesEntity } from "../helpers/openapi";
import { api, db } from "../helpers/users";

beforeEach(async () => {
	await captureOutbox();
});

afterEach(() => {
	vi.restoreAllMocks();
});

let counter = 0;
const unique = () => `join${Date.now().toString(36)}${++counter}`;

async function appToken(): Promise<string> {
	const app = await registerApp({ scopes: "read write" });
	const response = await api("/oauth/token", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({
			grant_type: "client_credentials",
			client_id: app.client_id,
			client_secret: app.client_secret,
			scope: "read write",
		}),
	});
	return ((await response.json()) as { access_token: string }).access_token;
}

async function signUp(token: string, email: string, headers: Record<string, string> = {}, vars: Partial<Env> = {}) {
	const username = unique();
	const response = await apiWithVars(vars, "/api/v1/accounts", {
		method: "POST",
		token,
		headers: { "Content-Type": "application/json", ...headers },
		body: JSON.stringify({ username, email, password: PASSWORD, agreement: true, reason: "I like birds" }),
	});
	return { username, response };
}

describe("sign-ups", () => {
	it("are throttled per address: a few in half an hour, then 429 and nothing created", async () => {
		const token = await appToken();
		const address = `203.0.113.${Math.floor(Math.random() * 250)}`;
		for (let i = 0; i < SIGN_UP_LIMIT; i++) {
			const { response } = await signUp(token, `${unique()}@example.com`, { "CF-Connecting-IP": address });
			expect(response.status).toBe(200);
		}
		const email = `${unique()}@example.com`;
		const { response } = await signUp(token, email, { "CF-Connecting-IP": address });
		expect(response.status).toBe(429);
		expect(await response.json()).toEqual({ error: "Too many sign-ups from your network. Please try again later." });
		expect(await db().select().from(users).where(eq(users.email, email))).toEqual([]);
		// Another address is not held back.
		expect(
			(await signUp(token, `${unique()}@example.com`, { "CF-Connecting-IP": "198.51.100.7" })).response.status,
		).toBe(200);
	});

	it("honour email domain blocks, refusing or asking for approval, and count the attempts", async () => {
		const admin = await createStaff();
		const token = await appToken();
		const refused = uniqueDomain("mail");
		const approval = uniqueDomain("mail");
		const block = await apiJson<{ id: string; history: { accounts: string }[] }>(
			"/api/v1/admin/email_domain_blocks",
			admin.token,
			{
				method: "POST",
				body: { domain: refused },
			},
		);
		expect(block.status).toBe(200);
		expectMatchesEntity("AdminEmailDomainBlock", block.body);
		await apiJson("/api/v1/admin/email_domain_blocks", admin.token, {
			method: "POST",
			body: { domain: approval, allow_with_approval: true },
		});
		const duplicate = await apiJson<{ error: string }>("/api/v1/admin/email_domain_blocks", admin.token, {
			method: "POST",
			body: { domain: refused },
		});
		expect(duplicate.status).toBe(422);

		const blocked = await signUp(token, `someone@mx.${refused}`);
		expect(blocked.response.status).toBe(422);
		expect(((await blocked.response.json()) as { error: string }).error).toMatch(/not allowed/);
		const pending = await signUp(token, `someone@${approval}`);
		expect(pending.response.status).toBe(200);
		const [user] = await db()
			.select()
			.from(users)
			.where(eq(users.email, `someone@${approval}`));
		expect(user?.approved).toBe(false);

		const shown = await apiJson<{ history: { day: string; accounts: string }[] }>(
			`/api/v1/admin/email_domain_blocks/${block.body.id}`,
			admin.token,
		);
		expectMatchesEntity("AdminEmailDomainBlock", shown.body);
		expect(shown.body.history).toHaveLength(7);
		expect(shown.body.history[0]?.accounts).toBe("1");
		expect(
			(await apiJson(`/api/v1/admin/email_domain_blocks/${block.body.id}`, admin.token, { method: "DELETE" })).status,
		).toBe(200);
		expect((await signUp(token, `someone@${refused}`)).response.status).toBe(200);
	});

	it("tell staff, and wait in the queue with their reason when approval is required", async () => {
		const moderator = await createStaff("moderator");
		const token = await appToken();
		const { username, response } = await signUp(
			token,
			`${unique()}@example.com`,
			{},
			{ REGISTRATION_MODE: "approval" },
		);
		expect(response.status).toBe(200);
		const [note] = await db().select().from(notifications).where(eq(notifications.accountId, moderator.account.id));
		expect(note?.type).toBe("admin.sign_up");
		const queue = await apiJson<{ username: string; invite_request: string | null; approved: boolean }[]>(
			"/api/v2/admin/accounts?status=pending&origin=local",
			moderator.token,
		);
		expect(queue.body.find((a) => a.username === username)).toMatchObject({
			invite_request: "I like birds",
			approved: false,
		});
	});

	it("turned down are told why when they sign in", async () => {
		const admin = await createStaff();
		const token = await appToken();
		const email = `${unique()}@example.com`;
		const { username, response } = await signUp(token, email, {}, { REGISTRATION_MODE: "approval" });
		expect(response.status).toBe(200);
		const queue = await apiJson<{ id: string; username: string }[]>(
			"/api/v2/admin/accounts?status=pending",
			admin.token,
		);
		const id = queue.body.find((a) => a.username === username)?.id;
		await apiJson(`/api/v1/admin/accounts/${id}/reject`, admin.token, {
			method: "POST",
			body: { text: "This server is for bird watchers." },
		});
		const jar = new CookieJar();
		const page = await pageGet("/auth/sign_in", jar);
		let posted = await formPost("/auth/sign_in", jar, {
			authenticity_token: formField(await page.text(), "authenticity_token") ?? "",
			email,
			password: PASSWORD,
		});
		// The password work may take a few requests (see startSignIn); the answer comes at the end.
		for (let step = 0; step < 20 && posted.headers.get("Location")?.startsWith("/auth/sign_in/continue"); step++) {
			posted = await pageGet(posted.headers.get("Location") ?? "", jar);
		}
		expect(posted.status).toBe(403);
		expect(await posted.text()).toContain("This server is for bird watchers.");
		expect(jar.cookies.has("tern_session")).toBe(false);
		expect(env.DB).toBeDefined();
	});
});
