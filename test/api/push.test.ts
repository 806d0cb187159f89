import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pushSubscriptions } from "../../src/db/schema";
import type { MastodonWebPushSubscription } from "../../src/serializers/mastodon/push-entities";
import { registerApplication } from "../../src/services/auth/oauth";
import { issueAccessToken, revokeTokenForClient } from "../../src/services/auth/tokens";
import { apiWithVars } from "../helpers/modes";
import { expectMatchesSchema } from "../helpers/openapi";
import { api, createTestUser, db } from "../helpers/users";
import { createPushReceiver } from "../helpers/web-push";

const PATH = "/api/v1/push/subscription";
let counter = 0;

function endpoint(): string {
	counter++;
	return `https://push.example/send/${Date.now().toString(36)}-${counter}`;
}

function sendJson(token: string, method: string, body: unknown) {
	return api(PATH, { token, method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

async function subscribe(token: string, extra: Record<string, unknown> = {}) {
	const receiver = await createPushReceiver();
	const url = endpoint();
	const response = await sendJson(token, "POST", {
		subscription: { endpoint: url, keys: { p256dh: receiver.p256dh, auth: receiver.auth } },
		...extra,
	});
	return { response, receiver, url };
}

async function instanceKey(): Promise<string> {
	const body = (await (await api("/api/v2/instance")).json()) as { configuration: { vapid: { public_key: string } } };
	return body.configuration.vapid.public_key;
}

describe("POST /api/v1/push/subscription", () => {
	it("creates a subscription and answers a WebPushSubscription", async () => {
		const user = await createTestUser();
		const receiver = await createPushReceiver();
		const target = endpoint();
		const created = await sendJson(user.token, "POST", {
			subscription: { endpoint: target, keys: { p256dh: receiver.p256dh, auth: receiver.auth }, standard: true },
			data: { alerts: { mention: true, favourite: "true", "admin.sign_up": false, bogus: true }, policy: "followed" },
		});
		expect(created.status).toBe(200);
		const body = (await created.json()) as MastodonWebPushSubscription;
		expectMatchesSchema("POST", PATH, 200, body);
		expect(body).toMatchObject({
			endpoint: target,
			standard: true,
			policy: "followed",
			server_key: await instanceKey(),
		});
		expect(body.alerts).toMatchObject({ mention: true, favourite: true, "admin.sign_up": false, follow: false });
		expect("bogus" in body.alerts).toBe(false);
	});

	it("reads Rails-style form parameters; standard defaults to false and policy to all", async () => {
		const user = await createTestUser();
		const receiver = await createPushReceiver();
		const target = endpoint();
		const form = new URLSearchParams({
			"subscription[endpoint]": target,
			"subscription[keys][p256dh]": receiver.p256dh,
			"subscription[keys][auth]": receiver.auth,
			"data[alerts][follow]": "true",
			"data[alerts][admin.report]": "1",
		});
		const response = await api(PATH, {
			token: user.token,
			method: "POST",
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: form,
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonWebPushSubscription;
		expect(body).toMatchObject({ endpoint: target, standard: false, policy: "all" });
		expect(body.alerts).toMatchObject({ follow: true, "admin.report": true, mention: false });
	});

	it("keeps one subscription per token: a second POST replaces the first", async () => {
		const user = await createTestUser();
		const first = (await (await subscribe(user.token)).response.json()) as MastodonWebPushSubscription;
		const second = (await (await subscribe(user.token)).response.json()) as MastodonWebPushSubscription;
		expect(second.id).not.toBe(first.id);
		const rows = await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.accountId, user.account.id));
		expect(rows.map((r) => r.id)).toEqual([second.id]);
		// The token itself is stored sealed, never in the clear.
		expect(rows[0]?.accessTokenSealed).not.toContain(user.token);
		const shown = (await (await api(PATH, { token: user.token })).json()) as MastodonWebPushSubscription;
		expect(shown.id).toBe(second.id);
	});

	it("refuses bad input with 422 and changes nothing", async () => {
		const user = await createTestUser();
		const { response } = await subscribe(user.token);
		const existing = (await response.json()) as MastodonWebPushSubscription;
		const receiver = await createPushReceiver();
		const keys = { p256dh: receiver.p256dh, auth: receiver.auth };
		const bad: unknown[] = [
			{},
			{ subscription: { endpoint: endpoint() } },
			{ subscription: { keys } },
			{ subscription: { endpoint: "not a url", keys } },
			{ subscription: { endpoint: "http://push.example/x", keys } },
			{ subscription: { endpoint: "https://127.0.0.1/x", keys } },
			{ subscription: { endpoint: "https://localhost/x", keys } },
			{ subscription: { endpoint: endpoint(), keys: { ...keys, p256dh: `${keys.p256dh.slice(0, -4)}AAAA` } } },
			{ subscription: { endpoint: endpoint(), keys: { ...keys, p256dh: "BAAA" } } },
			{ subscription: { endpoint: endpoint(), keys: { ...keys, auth: "AAAAAAAAAAA" } } },
			{ subscription: { endpoint: endpoint(), keys }, data: { policy: "everyone" } },
		];
		for (const body of bad) {
			const answer = await sendJson(user.token, "POST", body);
			expect(answer.status, JSON.stringify(body)).toBe(422);
			const error = (await answer.json()) as { error: string };
			expect(error.error).toMatch(/^Validation failed: /);
			expectMatchesSchema("POST", PATH, 422, error);
		}
		// Values of the wrong type are refused by the parameter reader, also with 422.
		const typed = await sendJson(user.token, "POST", {
			subscription: { endpoint: endpoint(), keys, standard: "maybe" },
		});
		expect(typed.status).toBe(422);
		expect(((await typed.json()) as { error: string }).error).toMatch(/standard/);
		const shown = (await (await api(PATH, { token: user.token })).json()) as MastodonWebPushSubscription;
		expect(shown).toEqual(existing);
	});
});

describe("endpoints on private addresses", () => {
	it("accepts http and loopback endpoints only where ALLOW_PRIVATE_ADDRESSES is true", async () => {
		const user = await createTestUser();
		const receiver = await createPushReceiver();
		const body = JSON.stringify({
			subscription: { endpoint: "http://127.0.0.1:8871/push", keys: { p256dh: receiver.p256dh, auth: receiver.auth } },
		});
		const init = { token: user.token, method: "POST", headers: { "Content-Type": "application/json" }, body };
		expect((await apiWithVars({ ALLOW_PRIVATE_ADDRESSES: "false" }, PATH, init)).status).toBe(422);
		const allowed = await apiWithVars({ ALLOW_PRIVATE_ADDRESSES: "true" }, PATH, init);
		expect(allowed.status).toBe(200);
		expect(((await allowed.json()) as MastodonWebPushSubscription).endpoint).toBe("http://127.0.0.1:8871/push");
		const ftp = await apiWithVars({ ALLOW_PRIVATE_ADDRESSES: "true" }, PATH, {
			...init,
			body: body.replace("http://", "ftp://"),
		});
		expect(ftp.status).toBe(422);
	});
});

describe("GET, PUT and DELETE /api/v1/push/subscription", () => {
	it("shows, updates alerts and policy only, and deletes", async () => {
		const user = await createTestUser();
		const { response, url } = await subscribe(user.token, {
			data: { alerts: { mention: true, reblog: true }, policy: "follower" },
		});
		const created = (await response.json()) as MastodonWebPushSubscription;

		const shown = await api(PATH, { token: user.token });
		expect(shown.status).toBe(200);
		const shownBody = (await shown.json()) as MastodonWebPushSubscription;
		expectMatchesSchema("GET", PATH, 200, shownBody);
		expect(shownBody).toEqual(created);

		const updated = await sendJson(user.token, "PUT", {
			subscription: { endpoint: "https://elsewhere.example/x" },
			data: { alerts: { follow: true, mention: false }, policy: "none" },
		});
		expect(updated.status).toBe(200);
		const updatedBody = (await updated.json()) as MastodonWebPushSubscription;
		expectMatchesSchema("PUT", PATH, 200, updatedBody);
		// Data is replaced as a whole, as Mastodon does; endpoint and keys stay.
		expect(updatedBody).toMatchObject({ id: created.id, endpoint: url, policy: "none" });
		expect(updatedBody.alerts).toMatchObject({ follow: true, mention: false, reblog: false });

		const badPolicy = await sendJson(user.token, "PUT", { data: { policy: "nobody" } });
		expect(badPolicy.status).toBe(422);

		const deleted = await api(PATH, { token: user.token, method: "DELETE" });
		expect(deleted.status).toBe(200);
		expect(await deleted.json()).toEqual({});
		const gone = await api(PATH, { token: user.token });
		expect(gone.status).toBe(404);
		expect(await gone.json()).toEqual({ error: "Record not found" });
		// Deleting nothing is not an error.
		expect((await api(PATH, { token: user.token, method: "DELETE" })).status).toBe(200);
	});

	it("answers 404 Record not found to GET and PUT without a subscription", async () => {
		const user = await createTestUser();
		const get = await api(PATH, { token: user.token });
		expect(get.status).toBe(404);
		const body = await get.json();
		expect(body).toEqual({ error: "Record not found" });
		expectMatchesSchema("GET", PATH, 404, body);
		const put = await sendJson(user.token, "PUT", { data: { alerts: { mention: true } } });
		expect(put.status).toBe(404);
		expect(await put.json()).toEqual({ error: "Record not found" });
	});

	it("keeps each token's subscription apart", async () => {
		const user = await createTestUser();
		const other = await issueAccessToken(db(), { userId: user.user.id, applicationId: null, scopes: "push" });
		const mine = (await (await subscribe(user.token)).response.json()) as MastodonWebPushSubscription;
		expect((await api(PATH, { token: other.accessToken })).status).toBe(404);
		const theirs = (await (await subscribe(other.accessToken)).response.json()) as MastodonWebPushSubscription;
		await api(PATH, { token: other.accessToken, method: "DELETE" });
		const still = (await (await api(PATH, { token: user.token })).json()) as MastodonWebPushSubscription;
		expect(still.id).toBe(mine.id);
		expect(theirs.id).not.toBe(mine.id);
	});
});

describe("push scope and token lifetime", () => {
	it("needs a user token with the push scope", async () => {
		const user = await createTestUser({ scopes: "read write follow" });
		const receiver = await createPushReceiver();
		const body = { subscription: { endpoint: endpoint(), keys: { p256dh: receiver.p256dh, auth: receiver.auth } } };
		expect((await sendJson(user.token, "POST", body)).status).toBe(403);
		expect((await api(PATH, { token: user.token })).status).toBe(403);
		expect((await sendJson(user.token, "PUT", { data: {} })).status).toBe(403);
		expect((await api(PATH, { token: user.token, method: "DELETE" })).status).toBe(403);
		expect((await api(PATH)).status).toBe(401);
		const pushOnly = await createTestUser({ scopes: "push" });
		expect((await sendJson(pushOnly.token, "POST", body)).status).toBe(200);
	});

	it("ends the subscription when its token is revoked", async () => {
		const user = await createTestUser();
		const { app } = await registerApplication(db(), {
			name: "Push app",
			redirectUris: ["urn:ietf:wg:oauth:2.0:oob"],
			scopes: "read push",
			website: undefined,
		});
		const token = await issueAccessToken(db(), { userId: user.user.id, applicationId: app.id, scopes: "read push" });
		const { response } = await subscribe(token.accessToken);
		const created = (await response.json()) as MastodonWebPushSubscription;
		expect(await revokeTokenForClient({ env, db: db() }, app.id, token.accessToken)).toBe("revoked");
		const rows = await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.id, created.id));
		expect(rows).toEqual([]);
	});
});
