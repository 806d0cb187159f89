import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deliverToInbox, fakeActor, PUBLIC, serveFediverse, storeActor } from "../../../../test/helpers/fediverse";
import { createTestUser, db } from "../../../../test/helpers/users";
import { accounts, blocks, followRequests, follows, notifications } from "../../../db/schema";
import { follow } from "../../../services/accounts/following";
import type { OutboxEvent } from "../../outbox/events";

let events: OutboxEvent[];

beforeEach(() => {
	events = [];
});

/** Delivers an activity and keeps the outbox events it recorded. */
async function deliver(activity: Record<string, unknown>) {
	events.push(...(await deliverToInbox(activity)));
}

afterEach(() => {
	vi.restoreAllMocks();
});

async function account(id: string) {
	const [row] = await db().select().from(accounts).where(eq(accounts.id, id));
	return row;
}

async function followRow(followerId: string, targetId: string) {
	const [row] = await db()
		.select()
		.from(follows)
		.where(and(eq(follows.accountId, followerId), eq(follows.targetAccountId, targetId)));
	return row;
}

const followActivity = (actor: string, object: string) => ({
	id: `${actor}#follows/${crypto.randomUUID()}`,
	type: "Follow",
	actor,
	object,
});

describe("Follow", () => {
	it("follows an unlocked account at once and answers with an Accept", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		const activity = followActivity(peer.uri, alice.account.uri);
		await deliver(activity);
		const row = await followRow(remote.id, alice.account.id);
		expect(row?.uri).toBe(activity.id);
		expect((await account(alice.account.id))?.followersCount).toBe(1);
		expect(events).toEqual([{ type: "follow.accepted", followId: row?.id }]);
		const notes = await db().select().from(notifications).where(eq(notifications.accountId, alice.account.id));
		expect(notes.map((n) => n.type)).toEqual(["follow"]);
	});

	it("leaves a follow request for a locked account, with no Accept yet", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		await db().update(accounts).set({ locked: true }).where(eq(accounts.id, alice.account.id));
		const activity = followActivity(peer.uri, alice.account.uri);
		await deliver(activity);
		expect(await followRow(remote.id, alice.account.id)).toBeUndefined();
		const [request] = await db().select().from(followRequests).where(eq(followRequests.accountId, remote.id));
		expect(request?.uri).toBe(activity.id);
		expect(events).toEqual([]);
	});

	it("rejects a follower the account blocks", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		await db().insert(blocks).values({
			id: crypto.randomUUID(),
			accountId: alice.account.id,
			targetAccountId: remote.id,
			createdAt: new Date(),
		});
		await deliver(followActivity(peer.uri, alice.account.uri));
		expect(await followRow(remote.id, alice.account.id)).toBeUndefined();
		expect(events.map((e) => e.type)).toEqual(["follow.rejected"]);
	});
});

describe("Accept and Reject", () => {
	async function pending() {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		expect(await follow(db(), env, alice.account, remote)).toBe("requested");
		const [request] = await db().select().from(followRequests).where(eq(followRequests.accountId, alice.account.id));
		return { peer, remote, alice, request };
	}

	it("Accept of our Follow (by id) starts the follow", async () => {
		const { peer, remote, alice, request } = await pending();
		await deliver({ id: `${peer.uri}#accepts/1`, type: "Accept", actor: peer.uri, object: request?.uri });
		expect(await followRow(alice.account.id, remote.id)).toBeDefined();
		expect((await account(alice.account.id))?.followingCount).toBe(1);
	});

	it("Accept with an inline Follow works as well; an Accept from someone else does nothing", async () => {
		const { peer, remote, alice } = await pending();
		const stranger = await fakeActor();
		await storeActor(stranger);
		const inline = { type: "Follow", actor: alice.account.uri, object: peer.uri };
		await deliver({ id: `${stranger.uri}#a`, type: "Accept", actor: stranger.uri, object: inline });
		expect(await followRow(alice.account.id, remote.id)).toBeUndefined();
		await deliver({ id: `${peer.uri}#a`, type: "Accept", actor: peer.uri, object: inline });
		expect(await followRow(alice.account.id, remote.id)).toBeDefined();
	});

	it("Reject drops the request, and a Reject later ends an accepted follow", async () => {
		const { peer, remote, alice, request } = await pending();
		await deliver({ id: `${peer.uri}#r1`, type: "Reject", actor: peer.uri, object: request?.uri });
		expect(await db().select().from(followRequests).where(eq(followRequests.accountId, alice.account.id))).toEqual([]);

		await follow(db(), env, alice.account, remote);
		const [again] = await db().select().from(followRequests).where(eq(followRequests.accountId, alice.account.id));
		await deliver({ id: `${peer.uri}#a2`, type: "Accept", actor: peer.uri, object: again?.uri });
		expect(await followRow(alice.account.id, remote.id)).toBeDefined();
		await deliver({ id: `${peer.uri}#r2`, type: "Reject", actor: peer.uri, object: again?.uri });
		expect(await followRow(alice.account.id, remote.id)).toBeUndefined();
	});
});

describe("Undo Follow and Block", () => {
	it("Undo of a Follow (inline or by id) ends it and lowers the count", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		const activity = followActivity(peer.uri, alice.account.uri);
		await deliver(activity);
		await deliver({ id: `${activity.id}/undo`, type: "Undo", actor: peer.uri, object: activity });
		expect(await followRow(remote.id, alice.account.id)).toBeUndefined();
		expect((await account(alice.account.id))?.followersCount).toBe(0);

		const second = followActivity(peer.uri, alice.account.uri);
		await deliver(second);
		await deliver({ id: `${second.id}/undo`, type: "Undo", actor: peer.uri, object: second.id });
		expect(await followRow(remote.id, alice.account.id)).toBeUndefined();
	});

	it("Block ends follows both ways; Undo Block removes it", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		await deliver(followActivity(peer.uri, alice.account.uri));
		const block = { id: `${peer.uri}#blocks/1`, type: "Block", actor: peer.uri, object: alice.account.uri };
		await deliver(block);
		const [row] = await db().select().from(blocks).where(eq(blocks.accountId, remote.id));
		expect(row?.uri).toBe(block.id);
		expect(await followRow(remote.id, alice.account.id)).toBeUndefined();
		await deliver({ id: `${block.id}/undo`, type: "Undo", actor: peer.uri, object: block });
		expect(await db().select().from(blocks).where(eq(blocks.accountId, remote.id))).toEqual([]);
	});
});

describe("Move", () => {
	it("moves local followers to a target that lists the old account in alsoKnownAs", async () => {
		const old = await fakeActor();
		const oldAccount = await storeActor(old);
		const target = await fakeActor({ alsoKnownAs: [old.uri] });
		serveFediverse({ [target.uri]: target.document });
		const alice = await createTestUser();
		await db()
			.insert(follows)
			.values({
				id: crypto.randomUUID(),
				accountId: alice.account.id,
				targetAccountId: oldAccount.id,
				uri: `https://tern.test/follows/${crypto.randomUUID()}`,
				createdAt: new Date(),
			});
		await deliver({ id: `${old.uri}#move`, type: "Move", actor: old.uri, object: old.uri, target: target.uri });
		expect((await account(oldAccount.id))?.movedToAccountId).toBeTruthy();
		expect(await followRow(alice.account.id, oldAccount.id)).toBeUndefined();
		const requests = await db().select().from(followRequests).where(eq(followRequests.accountId, alice.account.id));
		expect(requests).toHaveLength(1);
		expect(events.map((e) => e.type).sort()).toEqual(["follow.requested", "follow.undone"]);
	});

	it("ignores a Move to an account that does not claim the old one", async () => {
		const old = await fakeActor();
		const oldAccount = await storeActor(old);
		const target = await fakeActor();
		serveFediverse({ [target.uri]: target.document });
		await deliver({ id: `${old.uri}#move2`, type: "Move", actor: old.uri, object: old.uri, target: target.uri });
		expect((await account(oldAccount.id))?.movedToAccountId).toBeNull();
	});
});

describe("unknown types", () => {
	it("are accepted and ignored", async () => {
		const peer = await fakeActor();
		await storeActor(peer);
		await deliver({ id: `${peer.uri}#bite`, type: "Bite", actor: peer.uri, object: peer.uri, to: [PUBLIC] });
	});
});

describe("a repeated Follow", () => {
	it("is accepted again under its new id", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const alice = await createTestUser();
		await deliver(followActivity(peer.uri, alice.account.uri));
		const again = followActivity(peer.uri, alice.account.uri);
		await deliver(again);
		const row = await followRow(remote.id, alice.account.id);
		expect(row?.uri).toBe(again.id);
		expect(events.map((e) => e.type)).toEqual(["follow.accepted", "follow.accepted"]);
		expect((await account(alice.account.id))?.followersCount).toBe(1);
	});
});

describe("Update of a profile", () => {
	it("refetches the actor from its origin", async () => {
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		serveFediverse({ [peer.uri]: { ...peer.document, name: "Bob Renamed", summary: "<p>new bio</p>" } });
		await deliver({
			id: `${peer.uri}#updates/1`,
			type: "Update",
			actor: peer.uri,
			object: { ...peer.document, name: "Forged inline name" },
		});
		const row = await account(remote.id);
		expect(row?.displayName).toBe("Bob Renamed");
	});
});
