import { env, exports } from "cloudflare:workers";
import { eq, inArray, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../../src/context";
import {
	accounts,
	deadLetters,
	follows,
	inboxActivities,
	mediaAttachments,
	notifications,
	outboxActivities,
} from "../../src/db/schema";
import { resolveAccountByAcct } from "../../src/federation/actors";
import { parseActor } from "../../src/federation/actors/parse";
import { upsertRemoteAccount } from "../../src/federation/actors/store";
import { runDelivery } from "../../src/federation/delivery/run";
import { FetchError, outboundFetch } from "../../src/federation/fetch";
import { type OutboxEvent, publishOutboxEvent, takePublishedEvents } from "../../src/federation/outbox/events";
import { relayEvent } from "../../src/federation/outbox/relay";
import { ensureAccountKeys } from "../../src/services/accounts/keys";
import { deliverToInbox, fakeActor, serveFediverse, signedInboxRequest, storeActor } from "../helpers/fediverse";
import { create, note, statusByUri } from "../helpers/fediverse-posts";
import { apiJson, captureOutbox, createStaff, uniqueDomain } from "../helpers/moderation";
import { expectMatchesEntity, expectMatchesSchema } from "../helpers/openapi";
import { createTestUser, db } from "../helpers/users";

beforeEach(async () => {
	await captureOutbox();
	vi.spyOn(env.INBOX_QUEUE, "send").mockResolvedValue(undefined as never);
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function block(domain: string, fields: Record<string, unknown> = {}) {
	const admin = await createStaff("admin");
	const created = await apiJson<{ id: string }>("/api/v1/admin/domain_blocks", admin.token, {
		method: "POST",
		body: { domain, severity: "suspend", ...fields },
	});
	expect(created.status).toBe(200);
	return { admin, id: created.body.id };
}

async function unblock(admin: { token: string }, id: string) {
	expect((await apiJson(`/api/v1/admin/domain_blocks/${id}`, admin.token, { method: "DELETE" })).status).toBe(200);
}

describe("a suspended domain at the inbox door", () => {
	it("answers 202 and stores nothing, for the domain and its subdomains", async () => {
		const parent = uniqueDomain();
		const peer = await fakeActor({ domain: `social.${parent}` });
		const alice = await createTestUser();
		const fetched = serveFediverse({ [peer.uri]: peer.document });
		const { admin, id } = await block(parent);
		const activity = create(peer, note(peer, { content: "<p>from a suspended server</p>", cc: [alice.account.uri] }));
		const response = await exports.default.fetch(await signedInboxRequest(peer, activity));
		expect(response.status).toBe(202);
		expect(await db().select().from(inboxActivities).where(eq(inboxActivities.uri, activity.id))).toEqual([]);
		// Not even its key was fetched to check the signature.
		expect(vi.mocked(globalThis.fetch)).not.toHaveBeenCalled();
		expect(fetched.posts).toEqual([]);
		await unblock(admin, id);
		const after = await exports.default.fetch(await signedInboxRequest(peer, { ...activity, id: `${activity.id}2` }));
		expect(after.status).toBe(202);
		expect(
			await db()
				.select()
				.from(inboxActivities)
				.where(eq(inboxActivities.uri, `${activity.id}2`)),
		).toHaveLength(1);
	});

	it("an activity already queued from an account of the domain has no effect", async () => {
		const domain = uniqueDomain();
		const peer = await fakeActor({ domain });
		await storeActor(peer);
		const alice = await createTestUser();
		const { admin, id } = await block(domain);
		const post = note(peer, { cc: [alice.account.uri], tag: [{ type: "Mention", href: alice.account.uri }] });
		await deliverToInbox(create(peer, post));
		expect(await statusByUri(post.id as string)).toBeUndefined();
		await unblock(admin, id);
	});
});

describe("a suspended domain at the fetch and WebFinger doors", () => {
	it("no request leaves for it", async () => {
		const domain = uniqueDomain();
		const { admin, id } = await block(domain);
		serveFediverse({});
		const ctx = serviceContext(env);
		await expect(outboundFetch(ctx, `https://${domain}/users/x`, { signAs: false })).rejects.toMatchObject({
			code: "refused",
		});
		await expect(outboundFetch(ctx, `https://deep.sub.${domain}/users/x`, { signAs: false })).rejects.toBeInstanceOf(
			FetchError,
		);
		expect(await resolveAccountByAcct(ctx, `someone@${domain}`)).toBeNull();
		expect(vi.mocked(globalThis.fetch)).not.toHaveBeenCalled();
		await unblock(admin, id);
	});
});

/** Records an outbox event and relays it as the relay after a response does; the stored deliveries' inboxes. */
async function relayed(event: OutboxEvent): Promise<{ deliveryIds: string[]; inboxes: string[] }> {
	const handle = db();
	await publishOutboxEvent(handle, event);
	const [eventId] = takePublishedEvents(handle);
	const stored = await relayEvent(serviceContext(env), eventId as string);
	const deliveryIds = stored.map((d) => d.id);
	if (deliveryIds.length === 0) return { deliveryIds, inboxes: [] };
	const rows = await db().select().from(outboxActivities).where(inArray(outboxActivities.id, deliveryIds));
	return { deliveryIds, inboxes: rows.flatMap((row) => row.inboxes.map((p) => p.inbox)).sort() };
}

describe("a suspended domain at the delivery door", () => {
	it("gets no deliveries, even for posts from before the block", async () => {
		const domain = uniqueDomain();
		const alice = await createTestUser();
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, alice.account.id);
		const open = await fakeActor();
		const openAccount = await storeActor(open);
		await db()
			.insert(follows)
			.values({
				id: `${Date.now()}1`.padStart(18, "0"),
				accountId: openAccount.id,
				targetAccountId: alice.account.id,
				createdAt: new Date(),
			});
		const { admin, id } = await block(domain, { severity: "silence" });
		// Silenced servers still get deliveries; a suspended one does not.
		const blockedPeer = await fakeActor({ domain });
		const blockedAccount = await storeActor(blockedPeer);
		await db()
			.insert(follows)
			.values({
				id: `${Date.now()}2`.padStart(18, "0"),
				accountId: blockedAccount.id,
				targetAccountId: alice.account.id,
				createdAt: new Date(),
			});
		const posted = await apiJson<{ id: string }>("/api/v1/statuses", alice.token, {
			method: "POST",
			body: { status: "hello" },
		});
		const before = await relayed({ type: "status.created", statusId: posted.body.id });
		expect(before.inboxes).toEqual([`https://${domain}/inbox`, `https://${open.domain}/inbox`].sort());
		expect(
			(
				await apiJson(`/api/v1/admin/domain_blocks/${id}`, admin.token, {
					method: "PUT",
					body: { severity: "suspend" },
				})
			).status,
		).toBe(200);
		// Planned after the suspension: its inbox is left out.
		expect((await relayed({ type: "status.created", statusId: posted.body.id })).inboxes).toEqual([
			`https://${open.domain}/inbox`,
		]);
		// Planned before it: a run drops its inbox, sends nothing there, and keeps no dead letter of it.
		const served = serveFediverse({});
		for (const deliveryId of before.deliveryIds) {
			const run = await runDelivery(serviceContext(env), deliveryId, { budget: 10 });
			expect(run.state).toBe("done");
		}
		expect(served.posts.map((p) => p.url)).toEqual([`https://${open.domain}/inbox`]);
		expect(
			await db()
				.select()
				.from(deadLetters)
				.where(sql`json_extract(${deadLetters.body}, '$.inbox') = ${`https://${domain}/inbox`}`),
		).toEqual([]);
		await unblock(admin, id);
	});
});

describe("suspending a domain", () => {
	it("suspends its accounts, severs follows both ways and tells each member what was severed", async () => {
		const domain = uniqueDomain();
		const peer = await fakeActor({ domain });
		const bob = await storeActor(peer);
		const alice = await createTestUser();
		const apiFollow = await apiJson(`/api/v1/accounts/${bob.id}/follow`, alice.token, { method: "POST" });
		expect(apiFollow.status).toBe(200);
		// Remote follows become real once accepted: accept it as the peer would.
		const [request] = await db().select().from(follows).where(eq(follows.accountId, alice.account.id));
		if (!request) {
			await db()
				.insert(follows)
				.values({
					id: `${Date.now()}3`.padStart(18, "0"),
					accountId: alice.account.id,
					targetAccountId: bob.id,
					createdAt: new Date(),
				});
		}
		await db()
			.insert(follows)
			.values({
				id: `${Date.now()}4`.padStart(18, "0"),
				accountId: bob.id,
				targetAccountId: alice.account.id,
				createdAt: new Date(),
			});

		const { admin, id } = await block(domain, { public_comment: "spam" });
		expect(await db().select().from(follows).where(eq(follows.accountId, alice.account.id))).toEqual([]);
		expect(await db().select().from(follows).where(eq(follows.accountId, bob.id))).toEqual([]);
		const [suspended] = await db().select().from(accounts).where(eq(accounts.id, bob.id));
		expect(suspended?.suspendedAt).not.toBeNull();
		const profile = await apiJson<{ suspended?: boolean; display_name: string }>(
			`/api/v1/accounts/${bob.id}`,
			alice.token,
		);
		expect(profile.body).toMatchObject({ suspended: true, display_name: "" });

		const listed = await apiJson<{ type: string; event?: Record<string, unknown> }[]>(
			"/api/v1/notifications",
			alice.token,
		);
		expectMatchesSchema("GET", "/api/v1/notifications", 200, listed.body);
		const severed = listed.body.find((n) => n.type === "severed_relationships");
		expect(severed?.event).toMatchObject({
			type: "domain_block",
			target_name: domain,
			followers_count: 1,
			following_count: 1,
			purged: false,
		});
		const [me] = await db().select().from(accounts).where(eq(accounts.id, alice.account.id));
		expect([me?.followersCount, me?.followingCount]).toEqual([0, 0]);

		await unblock(admin, id);
		const [restored] = await db().select().from(accounts).where(eq(accounts.id, bob.id));
		expect(restored?.suspendedAt).toBeNull();
	});

	it("a member's severance notification is visible through the grouped notifications too", async () => {
		const domain = uniqueDomain();
		const bob = await storeActor(await fakeActor({ domain }));
		const alice = await createTestUser();
		await db()
			.insert(follows)
			.values({
				id: `${Date.now()}5`.padStart(18, "0"),
				accountId: bob.id,
				targetAccountId: alice.account.id,
				createdAt: new Date(),
			});
		const { admin, id } = await block(domain);
		const grouped = await apiJson<{ notification_groups: { type: string; event?: unknown }[] }>(
			"/api/v2/notifications",
			alice.token,
		);
		expectMatchesSchema("GET", "/api/v2/notifications", 200, grouped.body);
		expect(grouped.body.notification_groups.find((g) => g.type === "severed_relationships")?.event).toMatchObject({
			followers_count: 1,
			following_count: 0,
		});
		await unblock(admin, id);
	});
});

describe("silencing a domain", () => {
	it("limits its known accounts and the ones met later; lifting it restores them", async () => {
		const domain = uniqueDomain();
		const known = await storeActor(await fakeActor({ domain }));
		const { admin, id } = await block(domain, { severity: "silence" });
		const [row] = await db().select().from(accounts).where(eq(accounts.id, known.id));
		expect(row?.silencedAt).not.toBeNull();
		const later = await fakeActor({ domain: `www.${domain}` });
		const stored = await upsertRemoteAccount(serviceContext(env), parseActor(later.document));
		expect(stored.silencedAt).not.toBeNull();
		const viewer = await createTestUser();
		const shown = await apiJson<{ limited?: boolean }>(`/api/v1/accounts/${known.id}`, viewer.token);
		expect(shown.body.limited).toBe(true);
		await unblock(admin, id);
		const [lifted] = await db().select().from(accounts).where(eq(accounts.id, known.id));
		expect(lifted?.silencedAt).toBeNull();
	});
});

describe("rejecting a domain's media", () => {
	it("shows its attachments as unknown and drops avatars, for what is stored and what comes later", async () => {
		const domain = uniqueDomain();
		const peer = await fakeActor({ domain });
		const bob = await storeActor(peer);
		await db()
			.update(accounts)
			.set({ avatarUrl: `https://${domain}/avatar.png` })
			.where(eq(accounts.id, bob.id));
		const alice = await createTestUser();
		await db()
			.insert(follows)
			.values({
				id: `${Date.now()}6`.padStart(18, "0"),
				accountId: alice.account.id,
				targetAccountId: bob.id,
				createdAt: new Date(),
			});
		const image = { type: "Document", mediaType: "image/png", url: `https://${domain}/a.png`, name: "a picture" };
		const before = note(peer, { attachment: [image] });
		await deliverToInbox(create(peer, before));
		const { admin, id } = await block(domain, { severity: "noop", reject_media: true });
		const after = note(peer, { attachment: [image] });
		await deliverToInbox(create(peer, after));
		for (const post of [before, after]) {
			const status = await statusByUri(post.id as string);
			expect(status).toBeDefined();
			const media = await db()
				.select()
				.from(mediaAttachments)
				.where(eq(mediaAttachments.statusId, status?.id ?? ""));
			expect(media.map((m) => m.type)).toEqual(["unknown"]);
		}
		const [row] = await db().select().from(accounts).where(eq(accounts.id, bob.id));
		expect(row?.avatarUrl).toBeNull();
		// noop: nothing else changes, and the posts still reach the follower.
		expect(row?.silencedAt).toBeNull();
		const home = await apiJson<{ uri: string }[]>("/api/v1/timelines/home", alice.token);
		expect(home.body.map((s) => s.uri)).toContain(after.id);
		await unblock(admin, id);
	});
});

describe("a member's own domain block", () => {
	it("hides the domain from their home timeline and notifications, severs follows, and lists it", async () => {
		const domain = uniqueDomain("member");
		const peer = await fakeActor({ domain });
		const bob = await storeActor(peer);
		const alice = await createTestUser();
		await db()
			.insert(follows)
			.values({
				id: `${Date.now()}7`.padStart(18, "0"),
				accountId: alice.account.id,
				targetAccountId: bob.id,
				uri: `https://tern.test/follows/${Date.now()}`,
				createdAt: new Date(),
			});
		const post = note(peer, { cc: [alice.account.uri], tag: [{ type: "Mention", href: alice.account.uri }] });
		await deliverToInbox(create(peer, post));
		const before = await apiJson<{ uri: string }[]>("/api/v1/timelines/home", alice.token);
		expect(before.body.map((s) => s.uri)).toContain(post.id);
		expect((await db().select().from(notifications).where(eq(notifications.accountId, alice.account.id))).length).toBe(
			1,
		);

		const outbox = await captureOutbox();
		const blocked = await apiJson("/api/v1/domain_blocks", alice.token, { method: "POST", body: { domain } });
		expect(blocked.status).toBe(200);
		const after = await apiJson<{ uri: string }[]>("/api/v1/timelines/home", alice.token);
		expect(after.body.map((s) => s.uri)).not.toContain(post.id);
		const notes = await apiJson<{ type: string }[]>("/api/v1/notifications", alice.token);
		expect(notes.body.map((n) => n.type)).toEqual(["severed_relationships"]);
		expect(await outbox.events()).toContainEqual(
			expect.objectContaining({ type: "follow.undone", accountId: alice.account.id }),
		);
		// The post stays hidden in a thread view too, and a new one from there notifies nobody.
		const later = note(peer, { cc: [alice.account.uri], tag: [{ type: "Mention", href: alice.account.uri }] });
		await deliverToInbox(create(peer, later));
		expect((await apiJson<unknown[]>("/api/v1/notifications", alice.token)).body).toHaveLength(1);

		const list = await apiJson<string[]>("/api/v1/domain_blocks", alice.token);
		expectMatchesSchema("GET", "/api/v1/domain_blocks", 200, list.body);
		expect(list.body).toEqual([domain]);
		expect((await apiJson("/api/v1/domain_blocks", alice.token, { method: "DELETE", body: { domain } })).status).toBe(
			200,
		);
		expect((await apiJson<string[]>("/api/v1/domain_blocks", alice.token)).body).toEqual([]);
	});

	it("refuses a malformed domain or the server's own, changing nothing", async () => {
		const alice = await createTestUser();
		for (const domain of ["", "not a domain", "tern.test"]) {
			const answer = await apiJson<{ error: string }>("/api/v1/domain_blocks", alice.token, {
				method: "POST",
				body: { domain },
			});
			expect(answer.status).toBe(422);
			expect(answer.body.error).toMatch(/domain/i);
		}
		expect((await apiJson<string[]>("/api/v1/domain_blocks", alice.token)).body).toEqual([]);
		const noScope = await createTestUser({ scopes: "read:statuses" });
		expect((await apiJson("/api/v1/domain_blocks", noScope.token)).status).toBe(403);
	});
});

describe("limited federation", () => {
	it("lets only allowed domains in, once the mode is on", async () => {
		const admin = await createStaff("admin");
		const allowed = uniqueDomain("allowed");
		const other = await fakeActor();
		const created = await apiJson<{ id: string; domain: string }>("/api/v1/admin/domain_allows", admin.token, {
			method: "POST",
			body: { domain: allowed },
		});
		expect(created.body.domain).toBe(allowed);
		expectMatchesEntity("AdminDomainAllow", created.body);
		const again = await apiJson<{ id: string }>("/api/v1/admin/domain_allows", admin.token, {
			method: "POST",
			body: { domain: allowed },
		});
		expect(again.body.id).toBe(created.body.id);
		expect(
			(await apiJson("/api/v1/admin/domain_allows", admin.token, { method: "POST", body: { domain: "a b" } })).status,
		).toBe(422);
		const ctx = serviceContext(env);
		const { inboxRefuses } = await import("../../src/federation/domain-gates");
		expect(await inboxRefuses(ctx, other.uri)).toBe(false);
		const { setLimitedFederation } = await import("../../src/services/moderation/domain-allows");
		await setLimitedFederation(ctx, { accountId: admin.account.id }, true);
		try {
			expect(await inboxRefuses(ctx, other.uri)).toBe(true);
			expect(await inboxRefuses(ctx, `https://${allowed}/users/x`)).toBe(false);
			const instance = await apiJson<{ configuration: { limited_federation: boolean } }>("/api/v2/instance", undefined);
			expect(instance.body.configuration.limited_federation).toBe(true);
		} finally {
			await setLimitedFederation(ctx, { accountId: admin.account.id }, false);
			await apiJson(`/api/v1/admin/domain_allows/${created.body.id}`, admin.token, { method: "DELETE" });
		}
		expect(await inboxRefuses(ctx, other.uri)).toBe(false);
	});
});
