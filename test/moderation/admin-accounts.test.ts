import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accounts, adminActionLogs, mediaAttachments, users } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { fetchDocument } from "../federation/helpers";
import { fakeActor, storeActor } from "../helpers/fediverse";
import { apiJson, type CapturedOutbox, captureOutbox, createStaff } from "../helpers/moderation";
import { expectMatchesEntity, expectMatchesSchema } from "../helpers/openapi";
import { follow, postStatus } from "../helpers/statuses";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

let outbox: CapturedOutbox;

beforeEach(async () => {
	outbox = await captureOutbox();
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function act(staff: TestUser, target: { id: string }, body: Record<string, unknown>) {
	return apiJson(`/api/v1/admin/accounts/${target.id}/action`, staff.token, { method: "POST", body });
}

async function logsFor(targetId: string) {
	return db().select().from(adminActionLogs).where(eq(adminActionLogs.targetId, targetId));
}

describe("who may use the admin accounts API", () => {
	it("takes an admin scope and a role with the permission; anything else is 403 and changes nothing", async () => {
		const member = await createTestUser({ scopes: "read write admin:read admin:write" });
		const admin = await createStaff("admin");
		const adminWithoutScope = await createTestUser({ role: "admin", scopes: "read write" });
		const target = await createTestUser();
		for (const token of [member.token, adminWithoutScope.token]) {
			expect((await apiJson("/api/v1/admin/accounts", token)).status).toBe(403);
			expect((await act({ token } as TestUser, target.account, { type: "suspend" })).status).toBe(403);
		}
		expect((await apiJson("/api/v1/admin/accounts", undefined)).status).toBe(401);
		const [unchanged] = await db().select().from(accounts).where(eq(accounts.id, target.account.id));
		expect(unchanged?.suspendedAt).toBeNull();
		// Granular scopes are enough for their resource and no other.
		const granular = await createTestUser({ role: "admin", scopes: "admin:read:accounts" });
		expect((await apiJson("/api/v1/admin/accounts", granular.token)).status).toBe(200);
		expect((await apiJson("/api/v1/admin/reports", granular.token)).status).toBe(403);
		expect((await apiJson("/api/v1/admin/accounts", admin.token)).status).toBe(200);
	});

	it("gives moderators users and reports but not domain or email blocks", async () => {
		const moderator = await createStaff("moderator");
		expect((await apiJson("/api/v1/admin/accounts", moderator.token)).status).toBe(200);
		expect((await apiJson("/api/v1/admin/reports", moderator.token)).status).toBe(200);
		const refused = await apiJson<{ error: string }>("/api/v1/admin/domain_blocks", moderator.token, {
			method: "POST",
			body: { domain: "moderators-cannot.example" },
		});
		expect(refused).toEqual({ status: 403, body: { error: "This action is not allowed" } });
		expect((await apiJson("/api/v1/admin/email_domain_blocks", moderator.token)).status).toBe(403);
	});

	it("answers 404 for unknown accounts and 422 for unknown action types", async () => {
		const admin = await createStaff();
		const target = await createTestUser();
		for (const path of ["", "/approve", "/reject", "/enable", "/unsilence", "/unsuspend", "/unsensitive", "/action"]) {
			const method = path === "" ? "GET" : "POST";
			expect((await apiJson(`/api/v1/admin/accounts/999999999999999999${path}`, admin.token, { method })).status).toBe(
				404,
			);
			expect((await apiJson(`/api/v1/admin/accounts/not-an-id${path}`, admin.token, { method })).status).toBe(404);
		}
		const bad = await act(admin, target.account, { type: "obliterate" });
		expect(bad.status).toBe(422);
		expect((await act(admin, target.account, { type: "none", report_id: "999999999999999999" })).status).toBe(422);
		expect((await act(admin, target.account, { type: "none", warning_preset_id: "1" })).status).toBe(404);
		expect(await logsFor(target.account.id)).toEqual([]);
	});
});

describe("listing accounts", () => {
	it("filters as Mastodon's v1 and v2 do, every entry an Admin::Account", async () => {
		const admin = await createStaff();
		const pending = await createTestUser();
		await db().update(users).set({ approved: false }).where(eq(users.id, pending.user.id));
		const remote = await storeActor(await fakeActor());
		const v2 = await apiJson<{ id: string; username: string }[]>(
			"/api/v2/admin/accounts?status=pending&origin=local",
			admin.token,
		);
		expect(v2.status).toBe(200);
		expect(v2.body.map((a) => a.id)).toContain(pending.account.id);
		for (const entry of v2.body) expectMatchesEntity("AdminAccount", entry);
		const v1 = await apiJson<{ id: string }[]>(
			`/api/v1/admin/accounts?remote=true&by_domain=${remote.domain}`,
			admin.token,
		);
		expect(v1.body.map((a) => a.id)).toEqual([remote.id]);
		expectMatchesEntity("AdminAccount", v1.body[0]);
		const staff = await apiJson<{ role: { name: string } }[]>("/api/v2/admin/accounts?permissions=staff", admin.token);
		expect(staff.body.every((a) => a.role.name !== "")).toBe(true);
		expect((await apiJson("/api/v2/admin/accounts?status=lost", admin.token)).status).toBe(422);
		const one = await apiJson<{ id: string; email: string }>(
			`/api/v1/admin/accounts/${pending.account.id}`,
			admin.token,
		);
		expectMatchesEntity("AdminAccount", one.body);
		expect(one.body.email).toBe(pending.user.email);
	});
});

describe("suspending a local account", () => {
	it("turns its login off, hides it from other servers' fetches and tells them, and can be undone", async () => {
		const admin = await createStaff();
		const target = await createTestUser();
		const post = await postStatus(target, { status: "soon gone" });
		expect((await act(admin, target.account, { type: "suspend", text: "spam" })).status).toBe(200);

		expect((await api("/api/v1/accounts/verify_credentials", { token: target.token })).status).toBe(403);
		const actor = await fetchDocument(`/users/${target.account.username}`);
		expect(actor.status).toBe(200);
		expect(await actor.json()).toMatchObject({ suspended: true });
		expect(actor.headers.get("content-type")).toMatch(/activity\+json/);
		// The public profile is withheld while suspended, as on Mastodon (403; 410 is for an account gone for good).
		const page = await fetchDocument(`/@${target.account.username}`, { accept: "text/html" });
		expect(page.status).toBe(403);
		expect(await page.text()).toContain("Account suspended");
		expect((await fetchDocument(`/users/${target.account.username}/statuses/${post.id}`)).status).toBe(410);
		expect(await outbox.events()).toContainEqual({ type: "account.updated", accountId: target.account.id });

		const viewer = await createTestUser();
		expect((await api(`/api/v1/statuses/${post.id}`, { token: viewer.token })).status).toBe(404);
		const shown = await apiJson<{ suspended?: boolean }>(`/api/v1/accounts/${target.account.id}`, viewer.token);
		expectMatchesSchema("GET", "/api/v1/accounts/{id}", 200, shown.body);
		expect(shown.body.suspended).toBe(true);
		const logs = await logsFor(target.account.id);
		expect(logs.map((l) => [l.action, l.note, l.accountId])).toContainEqual(["suspend", "spam", admin.account.id]);

		// Suspending twice is refused and changes nothing.
		expect((await act(admin, target.account, { type: "suspend" })).status).toBe(422);
		const undone = await apiJson<{ suspended: boolean }>(
			`/api/v1/admin/accounts/${target.account.id}/unsuspend`,
			admin.token,
			{
				method: "POST",
			},
		);
		expectMatchesEntity("AdminAccount", undone.body);
		expect(undone.body.suspended).toBe(false);
		expect((await api("/api/v1/accounts/verify_credentials", { token: target.token })).status).toBe(200);
		expect((await api(`/api/v1/statuses/${post.id}`, { token: viewer.token })).status).toBe(200);
	});

	it("refuses to act on staff", async () => {
		const admin = await createStaff();
		const moderator = await createStaff("moderator");
		expect((await act(admin, moderator.account, { type: "suspend" })).status).toBe(403);
	});
});

describe("suspending a remote account", () => {
	it("severs its follows of local members with a Reject, and hides its posts", async () => {
		const admin = await createStaff();
		const peer = await fakeActor();
		const bob = await storeActor(peer);
		const alice = await createTestUser();
		const { follows } = await import("../../src/db/schema");
		await db()
			.insert(follows)
			.values({
				id: newId(),
				accountId: bob.id,
				targetAccountId: alice.account.id,
				uri: `${peer.uri}#f`,
				createdAt: new Date(),
			});
		expect((await act(admin, { id: bob.id }, { type: "suspend" })).status).toBe(200);
		expect(await db().select().from(follows).where(eq(follows.accountId, bob.id))).toEqual([]);
		expect(await outbox.events()).toContainEqual(
			expect.objectContaining({ type: "follow.rejected", accountId: bob.id, targetAccountId: alice.account.id }),
		);
		const notes = await apiJson<{ type: string; event?: { type: string; target_name: string } }[]>(
			"/api/v1/notifications",
			alice.token,
		);
		expect(notes.body[0]?.event).toMatchObject({ type: "account_suspension", target_name: `bob@${peer.domain}` });
		// A warning makes no sense for an account elsewhere.
		expect((await act(admin, { id: bob.id }, { type: "none", text: "hi" })).status).toBe(422);
	});
});

describe("limiting (silencing) an account", () => {
	it("keeps its posts out of the public timeline and its notifications from non-followers", async () => {
		const admin = await createStaff();
		const loud = await createTestUser();
		const follower = await createTestUser();
		const stranger = await createTestUser();
		await follow(follower, loud);
		expect((await act(admin, loud.account, { type: "silence" })).status).toBe(200);
		const post = await postStatus(loud, {
			status: `hello @${follower.account.username} and @${stranger.account.username}`,
		});
		const publicTimeline = await apiJson<{ id: string }[]>(
			"/api/v1/timelines/public?local=true&limit=40",
			stranger.token,
		);
		expect(publicTimeline.body.map((s) => s.id)).not.toContain(post.id);
		const home = await apiJson<{ id: string }[]>("/api/v1/timelines/home", follower.token);
		expect(home.body.map((s) => s.id)).toContain(post.id);
		const toFollower = await apiJson<{ type: string }[]>("/api/v1/notifications", follower.token);
		expect(toFollower.body.map((n) => n.type)).toContain("mention");
		const toStranger = await apiJson<unknown[]>("/api/v1/notifications", stranger.token);
		expect(toStranger.body).toEqual([]);
		const admins = await apiJson<{ silenced: boolean }>(`/api/v1/admin/accounts/${loud.account.id}`, admin.token);
		expect(admins.body.silenced).toBe(true);
		await apiJson(`/api/v1/admin/accounts/${loud.account.id}/unsilence`, admin.token, { method: "POST" });
		const again = await apiJson<{ id: string }[]>("/api/v1/timelines/public?local=true&limit=40", stranger.token);
		expect(again.body.map((s) => s.id)).toContain(post.id);
	});
});

describe("warnings, sensitive media and disabled logins", () => {
	it("shows the member a warning with the moderator's words", async () => {
		const moderator = await createStaff("moderator");
		const member = await createTestUser();
		expect((await act(moderator, member.account, { type: "none", text: "Please add content warnings." })).status).toBe(
			200,
		);
		const notes = await apiJson<{ type: string; moderation_warning?: { text: string; action: string } }[]>(
			"/api/v1/notifications",
			member.token,
		);
		expectMatchesSchema("GET", "/api/v1/notifications", 200, notes.body);
		expect(notes.body[0]).toMatchObject({
			type: "moderation_warning",
			moderation_warning: { action: "none", text: "Please add content warnings." },
		});
	});

	it("marks every post with media as sensitive, and back", async () => {
		const admin = await createStaff();
		const member = await createTestUser();
		const mediaId = newId();
		await db()
			.insert(mediaAttachments)
			.values({
				id: mediaId,
				accountId: member.account.id,
				type: "image",
				fileKey: `media/${mediaId}.png`,
				contentType: "image/png",
				createdAt: new Date(),
			});
		const post = await postStatus(member, { status: "look", media_ids: [mediaId] });
		expect(post.sensitive).toBe(false);
		await act(admin, member.account, { type: "sensitive" });
		expect((await apiJson<{ sensitive: boolean }>(`/api/v1/statuses/${post.id}`, member.token)).body.sensitive).toBe(
			true,
		);
		await apiJson(`/api/v1/admin/accounts/${member.account.id}/unsensitive`, admin.token, { method: "POST" });
		expect((await apiJson<{ sensitive: boolean }>(`/api/v1/statuses/${post.id}`, member.token)).body.sensitive).toBe(
			false,
		);
	});

	it("disables and enables a login", async () => {
		const admin = await createStaff();
		const member = await createTestUser();
		await act(admin, member.account, { type: "disable" });
		expect((await api("/api/v1/accounts/verify_credentials", { token: member.token })).status).toBe(403);
		const enabled = await apiJson<{ disabled: boolean }>(
			`/api/v1/admin/accounts/${member.account.id}/enable`,
			admin.token,
			{ method: "POST" },
		);
		expect(enabled.body.disabled).toBe(false);
		expect((await api("/api/v1/accounts/verify_credentials", { token: member.token })).status).toBe(200);
		expect((await logsFor(member.user.id)).map((l) => l.action)).toEqual(["disable", "enable"]);
	});
});

describe("the approval queue", () => {
	it("approves and rejects pending sign-ups; the rejected one hears why", async () => {
		const admin = await createStaff();
		const waiting = await createTestUser();
		const refused = await createTestUser();
		await db().update(users).set({ approved: false }).where(eq(users.id, waiting.user.id));
		await db().update(users).set({ approved: false }).where(eq(users.id, refused.user.id));
		const approved = await apiJson<{ approved: boolean }>(
			`/api/v1/admin/accounts/${waiting.account.id}/approve`,
			admin.token,
			{ method: "POST" },
		);
		expect(approved.body.approved).toBe(true);
		// Approving twice is not allowed: it is no longer waiting.
		expect(
			(await apiJson(`/api/v1/admin/accounts/${waiting.account.id}/approve`, admin.token, { method: "POST" })).status,
		).toBe(422);
		const rejected = await apiJson<{ approved: boolean }>(
			`/api/v1/admin/accounts/${refused.account.id}/reject`,
			admin.token,
			{
				method: "POST",
				body: { text: "We are a community of bird watchers." },
			},
		);
		expectMatchesEntity("AdminAccount", rejected.body);
		expect((await api("/api/v1/accounts/verify_credentials", { token: refused.token })).status).toBe(403);
		const queue = await apiJson<{ id: string }[]>("/api/v2/admin/accounts?status=pending", admin.token);
		expect(queue.body.map((a) => a.id)).not.toContain(refused.account.id);
		expect(queue.body.map((a) => a.id)).not.toContain(waiting.account.id);
		expect(env.JOBS_QUEUE).toBeDefined();
	});
});
