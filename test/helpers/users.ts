import { env } from "cloudflare:workers";
import { instanceConfig } from "../../src/config";
import { createDb } from "../../src/db/client";
import type { UserRole } from "../../src/db/schema";
import { type CreatedAccount, createLocalAccount } from "../../src/services/accounts/local-accounts";
import { issueAccessToken } from "../../src/services/auth/tokens";

export const db = () => createDb(env.DB);
export const config = () => instanceConfig(env);

let counter = 0;

/**
 * Test users' passwords are hashed with two links of 1,000 iterations: cheap
 * to make, and a sign-in finishes in its first request. The full cost, and a
 * sign-in spread over requests, are tested in src/services/auth/sign-in.test.ts.
 */
export const TEST_PASSWORD_COST = { iterations: 1000, links: 2 };

export interface TestUser extends CreatedAccount {
	token: string;
}

/** A confirmed local user with a token; names are unique per call so files can share a database. */
export async function createTestUser(
	options: { username?: string; role?: UserRole; scopes?: string; confirmed?: boolean } = {},
): Promise<TestUser> {
	counter++;
	const username = options.username ?? `user${Date.now().toString(36)}${counter}`;
	const created = await createLocalAccount(db(), config(), {
		username,
		email: `${username}@example.com`,
		password: "correct horse battery staple",
		role: options.role ?? "user",
		confirmed: options.confirmed ?? true,
		passwordCost: TEST_PASSWORD_COST,
	});
	const token = await issueAccessToken(db(), {
		userId: created.user.id,
		applicationId: null,
		scopes: options.scopes ?? "read write follow push",
	});
	return { ...created, token: token.accessToken };
}

export function api(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
	// Redirects are answers to check (OAuth), never to follow.
	return SELF_FETCH(new Request(`https://tern.test${path}`, { redirect: "manual", ...init, headers }));
}

import { exports } from "cloudflare:workers";

const SELF_FETCH = (request: Request) => exports.default.fetch(request);
