import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, followRequests, follows } from "../../src/db/schema";
import type { OutboxEvent } from "../../src/federation/outbox/events";
import { block, unblock } from "../../src/services/accounts/blocks";
import { findFollowRequestByUri } from "../../src/services/accounts/follow-requests";
import {
	acceptFollowRequest,
	follow,
	rejectFollowRequest,
	removeFollower,
	unfollow,
} from "../../src/services/accounts/following";
import { expectMatchesSchema } from "../helpers/openapi";
import { takeEvents } from "../helpers/outbox";
import { createRemoteAccount } from "../helpers/remote-accounts";
import { api, createTestUser, db } from "../helpers/users";

async function lock(accountId: string) {
	await db().update(accounts).set({ locked: true }).where(eq(accounts.id, accountId));
}

const postJson = (path: string, token: string) => api(path, { method: "POST", token });

describe("locked accounts", () => {
	it("request → listed → authorize → follow", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await lock(bob.account.id);
		const requested = await postJson(`/api/v1/accounts/${bob.account.id}/follow`, alice.token);
		expect(await requested.json()).toMatchObject({ following: false, requested: true });

		const credentials = (await (await api("/api/v1/accounts/verify_credentials", { token: bob.token })).json()) as {
			source: { follow_requests_count: number };
		};
		expect(credentials.source.follow_requests_count).toBe(1);

		const list = await api("/api/v1/follow_requests", { token: bob.token });
		expect(list.status).toBe(200);
		const pending = (await list.json()) as { id: string }[];
		expectMatchesSchema("GET", "/api/v1/follow_requests", 200, pending);
		expect(pending.map((a) => a.id)).toEqual([alice.account.id]);

		const notifications = (await (await api("/api/v1/notifications", { token: bob.token })).json()) as {
			type: string;
		}[];
		expect(notifications.map((n) => n.type)).toEqual(["follow_request"]);

		const authorized = await postJson(`/api/v1/follow_requests/${alice.account.id}/authorize`, bob.token);
		expect(authorized.status).toBe(200);
		const relationship = await authorized.json();
		expectMatchesSchema("POST", "/api/v1/follow_requests/{account_id}/authorize", 200, relationship);
		expect(relationship).toMatchObject({ id: alice.account.id, followed_by: true, requested_by: false });

		const after = (await (await api("/api/v1/notifications", { token: bob.token })).json()) as { type: string }[];
		expect(after.map((n) => n.type)).toEqual(["follow"]);
		expect(await (await api("/api/v1/follow_requests", { token: bob.token })).json()).toEqual([]);
		const profile = (await (await api(`/api/v1/accounts/${bob.account.id}`)).json()) as Record<string, number>;
		expect(profile.followers_count).toBe(1);
	});

	it("rejects a request, and answers 404 when there is none", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		await lock(bob.account.id);
		await postJson(`/api/v1/accounts/${bob.account.id}/follow`, alice.token);
		const rejected = await postJson(`/api/v1/follow_requests/${alice.account.id}/reject`, bob.token);
		expect(rejected.status).toBe(200);
		const body = await rejected.json();
		expectMatchesSchema("POST", "/api/v1/follow_requests/{account_id}/reject", 200, body);
		expect(body).toMatchObject({ followed_by: false, requested_by: false });
		const again = await postJson(`/api/v1/follow_requests/${alice.account.id}/authorize`, bob.token);
		expect(again.status).toBe(404);
		expect(await again.json()).toEqual({ error: "Record not found" });
	});

	it("paginates requests with Link headers", async () => {
		const bob = await createTestUser();
		await lock(bob.account.id);
		const requesters = [];
		for (let i = 0; i < 3; i++) {
			const user = await createTestUser();
			requesters.push(user);
			await postJson(`/api/v1/accounts/${bob.account.id}/follow`, user.token);
		}
		const first = await api("/api/v1/follow_requests?limit=2", { token: bob.token });
		const page = (await first.json()) as { id: string }[];
		expect(page.map((a) => a.id)).toEqual([requesters[2]?.account.id, requesters[1]?.account.id]);
		const link = first.headers.get("Link") ?? "";
		const next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
		expect(next).toBeDefined();
		const rest = (await (
			await api(new URL(next as string).pathname + new URL(next as string).search, { token: bob.token })
		).json()) as {
			id: string;
		}[];
		expect(rest.map((a) => a.id)).toEqual([requesters[0]?.account.id]);
	});

	it("needs read:follows to list and write:follows to answer", async () => {
		const reader = await createTestUser({ scopes: "read:accounts" });
		expect((await api("/api/v1/follow_requests", { token: reader.token })).status).toBe(403);
		expect((await postJson("/api/v1/follow_requests/1/authorize", reader.token)).status).toBe(403);
	});
});

describe("remote follows (service level)", () => {
	it("publishes follow.requested and accepts into a follow", async () => {
		const alice = await createTestUser();
		const remote = await createRemoteAccount();
		const handle = db();
		const sent: { event: OutboxEvent }[] = [];
		const record = async () => {
			for (const event of await takeEvents(handle)) sent.push({ event });
		};
		expect(await follow(handle, env, alice.account, remote)).toBe("requested");
		await record();
		const [request] = await db().select().from(followRequests).where(eq(followRequests.accountId, alice.account.id));
		expect(request?.uri).toBe(`https://tern.test/follows/${request?.id}`);
		expect(sent).toEqual([{ event: { type: "follow.requested", followRequestId: request?.id } }]);

		expect((await findFollowRequestByUri(db(), request?.uri as string))?.id).toBe(request?.id);
		expect(await acceptFollowRequest(handle, env, request?.id as string)).toBe(true);
		await record();
		const rows = await db().select().from(follows).where(eq(follows.accountId, alice.account.id));
		expect(rows.map((r) => [r.targetAccountId, r.uri])).toEqual([[remote.id, request?.uri]]);
		// The follower is local: nothing more goes out.
		expect(sent).toHaveLength(1);
		expect(await acceptFollowRequest(handle, env, request?.id as string)).toBe(false);
		await record();
	});

	it("a remote request to a locked account waits for authorization, then follows", async () => {
		const bob = await createTestUser();
		await lock(bob.account.id);
		const remote = await createRemoteAccount();
		const handle = db();
		const sent: { event: OutboxEvent }[] = [];
		const record = async () => {
			for (const event of await takeEvents(handle)) sent.push({ event });
		};
		const lockedBob = { ...bob.account, locked: true };
		expect(await follow(handle, env, remote, lockedBob)).toBe("requested");
		await record();
		expect(sent).toEqual([]);
		const response = await postJson(`/api/v1/follow_requests/${remote.id}/authorize`, bob.token);
		expect(await response.json()).toMatchObject({ followed_by: true });
	});

	it("tells remote servers of unfollows, removed followers, rejections and blocks", async () => {
		const alice = await createTestUser();
		const remote = await createRemoteAccount();
		const handle = db();
		const sent: { event: OutboxEvent }[] = [];
		const record = async () => {
			for (const event of await takeEvents(handle)) sent.push({ event });
		};
		const types = () => sent.map((m) => m.event.type);

		await follow(handle, env, alice.account, remote);
		await record();
		const [request] = await db().select().from(followRequests).where(eq(followRequests.accountId, alice.account.id));
		await acceptFollowRequest(handle, env, request?.id as string);
		await record();
		await unfollow(handle, env, alice.account, remote);
		await record();
		expect(sent.at(-1)?.event).toEqual({
			type: "follow.undone",
			accountId: alice.account.id,
			targetAccountId: remote.id,
			uri: request?.uri,
		});

		// A remote follower: accepted at once (alice is unlocked), then removed.
		const inbound = "https://remote.example/activities/follow-1";
		expect(await follow(handle, env, remote, alice.account, { uri: inbound })).toBe("following");
		await record();
		const [accepted] = await db().select().from(follows).where(eq(follows.accountId, remote.id));
		expect(accepted?.uri).toBe(inbound);
		// The inbox handler that called follow() answers with the Accept itself.
		expect(types().at(-1)).toBe("follow.undone");
		await removeFollower(handle, env, alice.account, remote);
		await record();
		expect(sent.at(-1)?.event).toMatchObject({
			type: "follow.rejected",
			accountId: remote.id,
			targetAccountId: alice.account.id,
		});

		await lock(alice.account.id);
		await follow(handle, env, remote, { ...alice.account, locked: true });
		await record();
		const [incoming] = await db().select().from(followRequests).where(eq(followRequests.accountId, remote.id));
		await rejectFollowRequest(handle, env, incoming?.id as string);
		await record();
		expect(types().at(-1)).toBe("follow.rejected");

		await block(handle, env, alice.account, remote);
		await record();
		expect(sent.at(-1)?.event).toMatchObject({ type: "block.created" });
		await unblock(handle, env, alice.account, remote);
		await record();
		expect(sent.at(-1)?.event).toMatchObject({
			type: "block.undone",
			accountId: alice.account.id,
			targetAccountId: remote.id,
		});
		const undone = sent.at(-1)?.event as { uri?: string } | undefined;
		expect(String(undone?.uri)).toMatch(/^https:\/\/tern\.test\/blocks\/\d+$/);
		expect(types()).toEqual([
			"follow.requested",
			"follow.undone",
			"follow.rejected",
			"follow.rejected",
			"block.created",
			"block.undone",
		]);
	});
});
