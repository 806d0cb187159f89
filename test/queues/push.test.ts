import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pushSubscriptions, users } from "../../src/db/schema";
import { base64UrlToBytes } from "../../src/lib/base64";
import { handleQueue } from "../../src/queues/consumer";
import type { JobMessage } from "../../src/queues/messages";
import type { MastodonWebPushSubscription } from "../../src/serializers/mastodon/push-entities";
import { issueAccessToken } from "../../src/services/auth/tokens";
import { favourite, post } from "../helpers/posts";
import { follow } from "../helpers/statuses";
import { api, createTestUser, db, type TestUser } from "../helpers/users";
import {
	createPushReceiver,
	decryptAes128gcm,
	decryptAesgcm,
	type PushReceiver,
	verifyVapidJwt,
} from "../helpers/web-push";

interface Captured {
	url: string;
	headers: Headers;
	body: Uint8Array<ArrayBuffer>;
}

let queued: JobMessage[];
let sent: JobMessage[];
let captured: Captured[];
let counter = 0;

beforeEach(() => {
	queued = [];
	sent = [];
	captured = [];
	vi.spyOn(env.JOBS_QUEUE, "send").mockImplementation(async (body) => {
		sent.push(body as JobMessage);
		return undefined as never;
	});
	vi.spyOn(env.JOBS_QUEUE, "sendBatch").mockImplementation(async (messages) => {
		for (const m of messages) queued.push(m.body as JobMessage);
		return undefined as never;
	});
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** Answers push POSTs with the status the endpoint's host asks for (`s410-…`, `s500-…`), 201 otherwise. */
function capturePushes() {
	vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const request = new Request(input, init);
		captured.push({
			url: request.url,
			headers: request.headers,
			body: new Uint8Array(await request.arrayBuffer()),
		});
		const wanted = /^s(\d{3})-/.exec(new URL(request.url).host)?.[1];
		return new Response(null, { status: wanted ? Number(wanted) : 201 });
	});
}

async function subscribe(
	user: TestUser,
	options: {
		standard?: boolean;
		alerts?: Record<string, boolean>;
		policy?: string;
		status?: number;
		token?: string;
	} = {},
): Promise<{ receiver: PushReceiver; endpoint: string; id: string }> {
	counter++;
	const receiver = await createPushReceiver();
	const prefix = options.status ? `s${options.status}-` : "";
	const endpoint = `https://${prefix}push${counter}-${Date.now().toString(36)}.example/wpush/v2/abc${counter}`;
	const response = await api("/api/v1/push/subscription", {
		token: options.token ?? user.token,
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({
			subscription: {
				endpoint,
				keys: { p256dh: receiver.p256dh, auth: receiver.auth },
				standard: options.standard ?? false,
			},
			data: { alerts: options.alerts ?? { mention: true, favourite: true, follow: true }, policy: options.policy },
		}),
	});
	expect(response.status).toBe(200);
	const body = (await response.json()) as MastodonWebPushSubscription;
	return { receiver, endpoint, id: body.id };
}

async function runJobs(bodies: JobMessage[], attempts = 1) {
	const batch = createMessageBatch(
		"tern-jobs",
		bodies.map((body, i) => ({ id: `p${i}`, timestamp: new Date(), attempts, body })),
	);
	const ctx = createExecutionContext();
	await handleQueue(batch, env, ctx);
	return getQueueResult(batch, ctx);
}

async function vapidKey(): Promise<string> {
	const body = (await (await api("/api/v2/instance")).json()) as { configuration: { vapid: { public_key: string } } };
	return body.configuration.vapid.public_key;
}

describe("queueing push jobs", () => {
	it("queues one job per notification, only for recipients with a subscription", async () => {
		const [bob, alice, carol] = [await createTestUser(), await createTestUser(), await createTestUser()];
		await subscribe(bob);
		await post(carol.account, `@${bob.account.username} @${alice.account.username} hello both`);
		expect(queued).toHaveLength(1);
		const [job] = queued;
		expect(job?.type).toBe("push.notification");
		const mine = (await (await api("/api/v1/notifications", { token: bob.token })).json()) as { id: string }[];
		expect(job).toEqual({ type: "push.notification", notificationId: mine[0]?.id });
		// Nobody subscribed among the recipients: nothing is queued.
		queued = [];
		await post(bob.account, `@${alice.account.username} just you`);
		expect(queued).toEqual([]);
		// Follows (and favourites, boosts, edits…) queue the same way.
		const followed = await api(`/api/v1/accounts/${bob.account.id}/follow`, { method: "POST", token: carol.token });
		expect(followed.status).toBe(200);
		expect(queued).toEqual([{ type: "push.notification", notificationId: expect.any(String) }]);
	});
});

describe("delivering push jobs", () => {
	it("sends the legacy aesgcm encoding Mastodon uses by default, which the receiver decrypts", async () => {
		capturePushes();
		const [bob, carol] = [await createTestUser(), await createTestUser()];
		const { receiver, endpoint } = await subscribe(bob);
		await post(carol.account, `@${bob.account.username} <b>lunch</b> at noon & later?`);
		const result = await runJobs(queued);
		expect(result.explicitAcks).toEqual(["p0"]);
		expect(captured).toHaveLength(1);
		const push = captured[0] as Captured;
		expect(push.url).toBe(endpoint);
		expect(push.headers.get("content-encoding")).toBe("aesgcm");
		expect(push.headers.get("content-type")).toBe("application/octet-stream");
		expect(push.headers.get("ttl")).toBe("172800");
		expect(push.headers.get("urgency")).toBe("normal");
		const key = await vapidKey();
		const cryptoKey = push.headers.get("crypto-key") ?? "";
		expect(cryptoKey).toMatch(new RegExp(`^dh=[A-Za-z0-9_-]{87};p256ecdsa=${key}$`));
		expect(push.headers.get("encryption")).toMatch(/^salt=[A-Za-z0-9_-]{22}$/);
		const jwt = /^WebPush (\S+)$/.exec(push.headers.get("authorization") ?? "")?.[1] ?? "";
		const claims = await verifyVapidJwt(jwt, key);
		expect(claims.aud).toBe(new URL(endpoint).origin);
		expect(claims.sub).toBe("mailto:admin@tern.test");
		expect(claims.exp as number).toBeLessThanOrEqual(Date.now() / 1000 + 24 * 60 * 60);
		expect(push.headers.get("signature")).toBeNull();

		const json = await decryptAesgcm(receiver, push.body, {
			encryption: push.headers.get("encryption") ?? "",
			cryptoKey,
		});
		const job = queued[0] as { notificationId: string };
		// A JSON number with every digit, as Mastodon sends it (native apps decode an Int64).
		expect(json).toContain(`"notification_id":${job.notificationId},`);
		const payload = JSON.parse(json);
		expect(payload).toEqual({
			access_token: bob.token,
			preferred_locale: "en",
			notification_id: expect.any(Number),
			notification_type: "mention",
			icon: "https://tern.test/avatars/original/missing.png",
			title: `${carol.account.username} mentioned you`,
			body: expect.stringContaining("lunch at noon & later?"),
		});
		expect(payload.body).not.toContain("<b>");
	});

	it("sends RFC 8291 aes128gcm with vapid authorization to standard subscriptions", async () => {
		capturePushes();
		const [bob, carol] = [await createTestUser(), await createTestUser()];
		const { receiver } = await subscribe(bob, { standard: true });
		const status = await post(bob.account, "my post");
		await favourite(carol.account, status);
		expect(queued).toHaveLength(1);
		expect((await runJobs(queued)).explicitAcks).toEqual(["p0"]);
		const push = captured[0] as Captured;
		expect(push.headers.get("content-encoding")).toBe("aes128gcm");
		expect(push.headers.get("crypto-key")).toBeNull();
		expect(push.headers.get("encryption")).toBeNull();
		const key = await vapidKey();
		const match = /^vapid t=([^,]+),k=(\S+)$/.exec(push.headers.get("authorization") ?? "");
		expect(match?.[2]).toBe(key);
		await verifyVapidJwt(match?.[1] ?? "", key);
		expect(base64UrlToBytes(key)).toHaveLength(65);
		const payload = JSON.parse(await decryptAes128gcm(receiver, push.body));
		expect(payload).toMatchObject({
			notification_type: "favourite",
			title: `${carol.account.username} favourited your post`,
			body: "my post",
			access_token: bob.token,
		});
	});

	it("applies alerts and the followed policy", async () => {
		capturePushes();
		const [bob, carol] = [await createTestUser(), await createTestUser()];
		await subscribe(bob, { alerts: { favourite: false, mention: true }, policy: "followed" });
		const status = await post(bob.account, "quiet post");
		await favourite(carol.account, status);
		await post(carol.account, `@${bob.account.username} you don't follow me`);
		expect(await runJobs(queued)).toMatchObject({ explicitAcks: ["p0", "p1"], retryMessages: [] });
		expect(captured).toEqual([]);
		await follow(bob, carol);
		queued = [];
		await post(carol.account, `@${bob.account.username} now you do`);
		await runJobs(queued);
		expect(captured).toHaveLength(1);
	});

	it("deletes a subscription the push service calls gone (410, 404) and acks", async () => {
		capturePushes();
		const [bob, carol] = [await createTestUser(), await createTestUser()];
		const gone = await subscribe(bob, { status: 410 });
		await post(carol.account, `@${bob.account.username} anyone there?`);
		expect((await runJobs(queued)).explicitAcks).toEqual(["p0"]);
		expect(captured).toHaveLength(1);
		const rows = await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.id, gone.id));
		expect(rows).toEqual([]);
	});

	it("retries on 500 and keeps the subscription; drops a 400 without deleting", async () => {
		capturePushes();
		const [bob, carol] = [await createTestUser(), await createTestUser()];
		const failing = await subscribe(bob, { status: 500 });
		await post(carol.account, `@${bob.account.username} try again`);
		const retried = await runJobs(queued, 2);
		expect(retried.explicitAcks).toEqual([]);
		expect(retried.retryMessages.map((m) => m.msgId)).toEqual(["p0"]);
		expect(await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.id, failing.id))).toHaveLength(1);

		const [dan, erin] = [await createTestUser(), await createTestUser()];
		const refused = await subscribe(dan, { status: 400 });
		queued = [];
		await post(erin.account, `@${dan.account.username} bad request`);
		const dropped = await runJobs(queued);
		expect(dropped).toMatchObject({ explicitAcks: ["p0"], retryMessages: [] });
		expect(await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.id, refused.id))).toHaveLength(1);
	});

	it("on a partial failure acks and queues the push again for the failed subscription only", async () => {
		capturePushes();
		const [bob, carol] = [await createTestUser(), await createTestUser()];
		const second = await issueAccessToken(db(), { userId: bob.user.id, applicationId: null, scopes: "push" });
		await subscribe(bob);
		const failing = await subscribe(bob, { status: 503, token: second.accessToken });
		await post(carol.account, `@${bob.account.username} two devices`);
		const result = await runJobs(queued);
		expect(result).toMatchObject({ explicitAcks: ["p0"], retryMessages: [] });
		expect(captured).toHaveLength(2);
		const job = queued[0] as { notificationId: string };
		expect(sent).toEqual([
			{ type: "push.notification", notificationId: job.notificationId, subscriptionIds: [failing.id] },
		]);
		captured = [];
		await runJobs(sent, 1);
		expect(captured.map((c) => c.url)).toEqual([failing.endpoint]);
	});

	it("pushes nothing to a disabled login", async () => {
		capturePushes();
		const [bob, carol] = [await createTestUser(), await createTestUser()];
		await subscribe(bob);
		await post(carol.account, `@${bob.account.username} still there?`);
		await db().update(users).set({ disabled: true }).where(eq(users.id, bob.user.id));
		expect((await runJobs(queued)).explicitAcks).toEqual(["p0"]);
		expect(captured).toEqual([]);
	});

	it("acks a job whose notification is gone", async () => {
		capturePushes();
		const result = await runJobs([{ type: "push.notification", notificationId: "1" }]);
		expect(result.explicitAcks).toEqual(["p0"]);
		expect(captured).toEqual([]);
	});
});
