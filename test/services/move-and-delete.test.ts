import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../../src/context";
import { accountDeletions, accounts, follows, notifications, outboxEvents, statuses, users } from "../../src/db/schema";
import { planDeliveries } from "../../src/federation/delivery/events";
import type { OutboxEvent } from "../../src/federation/outbox/events";
import type { JobMessage } from "../../src/queues/messages";
import { addAlias } from "../../src/services/accounts/aliases";
import { deleteOwnAccount } from "../../src/services/accounts/deletion";
import { follow } from "../../src/services/accounts/following";
import { moveAccount } from "../../src/services/accounts/moving";
import { startWebSession } from "../../src/services/auth/web-sessions";
import { fakeActor, storeActor } from "../helpers/fediverse";
import { captureJobs, drainJobs } from "../helpers/jobs";
import { api, createTestUser, db } from "../helpers/users";

let jobs: JobMessage[];

/** The outbox events recorded so far (nothing relays them in these tests). */
async function storedEvents(): Promise<OutboxEvent[]> {
	const rows = await db().select().from(outboxEvents).orderBy(outboxEvents.id);
	return rows.map((row) => row.event as OutboxEvent);
}

beforeEach(() => {
	jobs = captureJobs();
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function account(id: string) {
	const [row] = await db().select().from(accounts).where(eq(accounts.id, id));
	if (!row) throw new Error(`no account ${id}`);
	return row;
}

async function browser(userId: string) {
	const session = await startWebSession(db(), userId, "test");
	return { Cookie: `tern_session=${session.secret}` };
}

describe("moving to another account", () => {
	it("checks the alias, moves followers here and elsewhere, stops posting and points everyone to the new account", async () => {
		const [alice, bob, carol] = await Promise.all([createTestUser(), createTestUser(), createTestUser()]);
		const remote = await storeActor(await fakeActor());
		await follow(db(), env, await account(bob.account.id), await account(alice.account.id));
		await db()
			.insert(follows)
			.values({
				id: crypto.randomUUID(),
				accountId: remote.id,
				targetAccountId: alice.account.id,
				uri: `${remote.uri}#follows/1`,
				createdAt: new Date(),
			});
		const ctx = { db: db(), env };
		await expect(moveAccount(ctx, await account(alice.account.id), await account(carol.account.id))).rejects.toThrow(
			/alias/,
		);

		await addAlias(db(), await account(carol.account.id), await account(alice.account.id));
		expect((await account(carol.account.id)).alsoKnownAs).toEqual([alice.account.uri]);
		const actor = await api(`/users/${carol.account.username}`, { headers: { Accept: "application/activity+json" } });
		expect(((await actor.json()) as { alsoKnownAs?: string[] }).alsoKnownAs).toEqual([alice.account.uri]);

		await moveAccount(ctx, await account(alice.account.id), await account(carol.account.id));
		expect((await account(alice.account.id)).movedToAccountId).toBe(carol.account.id);
		const moved = (await storedEvents()).find((e) => e.type === "account.moved");
		expect(moved).toMatchObject({ accountId: alice.account.id, targetAccountId: carol.account.id });
		const [plan] = await planDeliveries(serviceContext(env, db()), moved as OutboxEvent);
		expect(plan?.activity).toMatchObject({
			type: "Move",
			actor: alice.account.uri,
			object: alice.account.uri,
			target: carol.account.uri,
		});
		expect(plan?.audience).toEqual({ followersOf: alice.account.id });

		await drainJobs(jobs);
		const bobFollows = await db().select().from(follows).where(eq(follows.accountId, bob.account.id));
		expect(bobFollows.map((f) => f.targetAccountId)).toEqual([carol.account.id]);
		const told = await db()
			.select()
			.from(notifications)
			.where(and(eq(notifications.accountId, bob.account.id), eq(notifications.type, "moved")));
		expect(told).toHaveLength(1);

		const posting = await api("/api/v1/statuses", {
			method: "POST",
			token: alice.token,
			body: new URLSearchParams({ status: "still here?" }),
		});
		expect(posting.status).toBe(403);
		const entity = (await (await api(`/api/v1/accounts/${alice.account.id}`)).json()) as { moved?: { id: string } };
		expect(entity.moved?.id).toBe(carol.account.id);
		const profile = await api(`/@${alice.account.username}`);
		expect(profile.status).toBe(302);
		expect(profile.headers.get("Location")).toBe(carol.account.url);
		const document = (await (
			await api(`/users/${alice.account.username}`, { headers: { Accept: "application/activity+json" } })
		).json()) as { movedTo?: string };
		expect(document.movedTo).toBe(carol.account.uri);
	});

	it("offers the same through the member's pages", async () => {
		const [dan, erin] = await Promise.all([createTestUser(), createTestUser()]);
		const headers = await browser(erin.user.id);
		const page = await api("/settings/aliases", { headers });
		expect(page.status).toBe(200);
		const token = /name="authenticity_token" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
		const added = await api("/settings/aliases", {
			method: "POST",
			headers,
			body: new URLSearchParams({ authenticity_token: token, acct: `${dan.account.username}@tern.test` }),
		});
		expect(added.status).toBe(200);
		expect(await added.text()).toContain(dan.account.uri);
		const refused = await api("/settings/aliases", {
			method: "POST",
			headers,
			body: new URLSearchParams({ authenticity_token: "forged", acct: "x@tern.test" }),
		});
		expect(refused.status).toBe(403);
		expect((await api("/settings/data")).status).toBe(401);
	});
});

describe("deleting an account", () => {
	it("wants the password, then tells every known server and removes everything in steps", async () => {
		const user = await createTestUser();
		const remote = await storeActor(await fakeActor());
		await api("/api/v1/statuses", {
			method: "POST",
			token: user.token,
			body: new URLSearchParams({ status: "goodbye" }),
		});
		await follow(db(), env, await account(user.account.id), remote).catch(() => undefined);
		const ctx = { db: db(), env };
		const current = { account: await account(user.account.id), user: user.user };
		await deleteOwnAccount(ctx, current);

		expect(await db().select().from(users).where(eq(users.id, user.user.id))).toEqual([]);
		const deleted = (await storedEvents()).find((e) => e.type === "account.deleted");
		expect(deleted).toEqual({ type: "account.deleted", accountId: user.account.id });
		const [plan] = await planDeliveries(serviceContext(env, db()), deleted as OutboxEvent);
		expect(plan?.activity).toMatchObject({ type: "Delete", actor: user.account.uri, object: user.account.uri });
		expect(plan?.audience).toEqual({ allKnownInboxes: true });

		await drainJobs(jobs);
		expect(await db().select().from(statuses).where(eq(statuses.accountId, user.account.id))).toEqual([]);
		const [state] = await db().select().from(accountDeletions).where(eq(accountDeletions.accountId, user.account.id));
		expect(state?.state).toBe("done");
		const gone = await api(`/users/${user.account.username}`, { headers: { Accept: "application/activity+json" } });
		expect(gone.status).toBe(410);
		const page = await api(`/@${user.account.username}`, { headers: { Accept: "text/html" } });
		expect(page.status).toBe(410);
		expect(await page.text()).toContain("Account deleted");
		const signIn = await api("/api/v1/accounts/verify_credentials", { token: user.token });
		expect(signIn.status).toBe(401);
	});
});
