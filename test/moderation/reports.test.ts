import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../../src/context";
import { accounts, instanceRules, notifications, reports, statuses } from "../../src/db/schema";
import { planDeliveries } from "../../src/federation/delivery/events";
import { newId } from "../../src/lib/ids";
import { deliverToInbox, fakeActor, storeActor } from "../helpers/fediverse";
import { apiJson, type CapturedOutbox, captureOutbox, createStaff, uniqueDomain } from "../helpers/moderation";
import { expectMatchesEntity, expectMatchesSchema } from "../helpers/openapi";
import { postStatus } from "../helpers/statuses";
import { createTestUser, db } from "../helpers/users";

let outbox: CapturedOutbox;

beforeEach(async () => {
	outbox = await captureOutbox();
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function reportsBy(accountId: string) {
	return db().select().from(reports).where(eq(reports.accountId, accountId));
}

describe("POST /api/v1/reports", () => {
	it("files a report, snapshots the posts and tells the staff", async () => {
		const moderator = await createStaff("moderator");
		const reporter = await createTestUser();
		const target = await createTestUser();
		const post = await postStatus(target, { status: "something bad" });
		const ruleId = newId();
		await db().insert(instanceRules).values({ id: ruleId, text: "Be kind", position: 99, createdAt: new Date() });
		const filed = await apiJson<{ id: string; category: string }>("/api/v1/reports", reporter.token, {
			method: "POST",
			body: { account_id: target.account.id, status_ids: [post.id], comment: "not kind", rule_ids: [ruleId] },
		});
		expect(filed.status).toBe(200);
		expectMatchesSchema("POST", "/api/v1/reports", 200, filed.body);
		expect(filed.body).toMatchObject({
			category: "violation",
			status_ids: [post.id],
			rule_ids: [ruleId],
			forwarded: false,
		});
		const [stored] = await reportsBy(reporter.account.id);
		expect(stored?.statusSnapshots[0]).toMatchObject({ id: post.id, content: "<p>something bad</p>" });

		const staffNotes = await apiJson<{ type: string; report?: { id: string } }[]>(
			"/api/v1/notifications",
			moderator.token,
		);
		expectMatchesSchema("GET", "/api/v1/notifications", 200, staffNotes.body);
		expect(staffNotes.body.find((n) => n.type === "admin.report")?.report?.id).toBe(filed.body.id);
		// A member who is not staff hears nothing of it.
		expect((await apiJson<unknown[]>("/api/v1/notifications", target.token)).body).toEqual([]);
	});

	it("refuses bad input with a clear error and files nothing", async () => {
		const reporter = await createTestUser();
		const target = await createTestUser();
		const other = await createTestUser();
		const othersPost = await postStatus(other, { status: "not the target's" });
		const privatePost = await postStatus(target, { status: "followers only", visibility: "private" });
		const cases: [Record<string, unknown>, number][] = [
			[{}, 422],
			[{ account_id: "999999999999999999" }, 404],
			[{ account_id: target.account.id, status_ids: [othersPost.id] }, 404],
			[{ account_id: target.account.id, status_ids: [privatePost.id] }, 404],
			[{ account_id: target.account.id, category: "rude" }, 422],
			[{ account_id: target.account.id, comment: "x".repeat(1001) }, 422],
			[{ account_id: target.account.id, category: "spam", rule_ids: ["1"] }, 422],
			[{ account_id: target.account.id, category: "violation", rule_ids: ["999999999999999999"] }, 422],
			[{ account_id: reporter.account.id }, 422],
		];
		for (const [body, status] of cases) {
			const answer = await apiJson<{ error: string }>("/api/v1/reports", reporter.token, { method: "POST", body });
			expect(answer.status, JSON.stringify(body)).toBe(status);
			expect(typeof answer.body.error).toBe("string");
		}
		expect(await reportsBy(reporter.account.id)).toEqual([]);
		const noScope = await createTestUser({ scopes: "read" });
		expect(
			(await apiJson("/api/v1/reports", noScope.token, { method: "POST", body: { account_id: target.account.id } }))
				.status,
		).toBe(403);
	});

	it("forwards a report about a remote account as a Flag from the instance actor, in Mastodon's shape", async () => {
		const reporter = await createTestUser();
		const peer = await fakeActor();
		const bob = await storeActor(peer);
		const statusId = newId();
		await db()
			.insert(statuses)
			.values({
				id: statusId,
				uri: `${peer.uri}/statuses/1`,
				accountId: bob.id,
				local: false,
				content: "<p>spam</p>",
				visibility: "public",
				createdAt: new Date(),
			});
		const filed = await apiJson<{ id: string; forwarded: boolean }>("/api/v1/reports", reporter.token, {
			method: "POST",
			body: {
				account_id: bob.id,
				status_ids: [statusId],
				comment: "spam from your server",
				category: "spam",
				forward: true,
			},
		});
		expect(filed.body.forwarded).toBe(true);
		const event = (await outbox.events()).find((e) => e.type === "report.forwarded");
		expect(event).toMatchObject({ reportId: filed.body.id, domains: [peer.domain] });
		const [plan] = await planDeliveries(serviceContext(env), event as never);
		const [instanceActor] = await db().select().from(accounts).where(eq(accounts.uri, "https://tern.test/actor"));
		expect(plan?.accountId).toBe(instanceActor?.id);
		expect(plan?.activity).toMatchObject({
			type: "Flag",
			actor: "https://tern.test/actor",
			content: "spam from your server",
			object: [peer.uri, `${peer.uri}/statuses/1`],
		});
		// Who reported is never sent.
		expect(JSON.stringify(plan?.activity)).not.toContain(reporter.account.username);
		expect(plan?.audience).toMatchObject({ personalInboxOf: [bob.id] });
	});
});

describe("Flags from other servers", () => {
	it("become reports from that server, unless its reports are rejected", async () => {
		const domain = uniqueDomain("flagger");
		const peer = await fakeActor({ domain });
		const sender = await storeActor(peer);
		const alice = await createTestUser();
		const post = await postStatus(alice, { status: "reported remotely" });
		const flag = (n: number) => ({
			id: `https://${domain}/flags/${n}`,
			type: "Flag",
			actor: peer.uri,
			object: [alice.account.uri, post.uri],
			content: "look",
		});
		await deliverToInbox(flag(1));
		expect((await reportsBy(sender.id)).map((r) => r.statusIds)).toEqual([[post.id]]);
		const admin = await createStaff();
		const blocked = await apiJson<{ id: string }>("/api/v1/admin/domain_blocks", admin.token, {
			method: "POST",
			body: { domain, severity: "noop", reject_reports: true },
		});
		await deliverToInbox(flag(2));
		expect(await reportsBy(sender.id)).toHaveLength(1);
		await apiJson(`/api/v1/admin/domain_blocks/${blocked.body.id}`, admin.token, { method: "DELETE" });
	});
});

describe("the admin reports API", () => {
	it("lists, shows, assigns, resolves and reopens, each answer an Admin::Report", async () => {
		const moderator = await createStaff("moderator");
		const reporter = await createTestUser();
		const target = await createTestUser();
		const post = await postStatus(target, { status: "to be deleted" });
		const filed = await apiJson<{ id: string }>("/api/v1/reports", reporter.token, {
			method: "POST",
			body: { account_id: target.account.id, status_ids: [post.id], comment: "bad", category: "spam" },
		});
		// The reported post is deleted: moderators still see it.
		await apiJson(`/api/v1/statuses/${post.id}`, target.token, { method: "DELETE" });
		const list = await apiJson<{ id: string }[]>("/api/v1/admin/reports", moderator.token);
		expect(list.body.map((r) => r.id)).toContain(filed.body.id);
		for (const report of list.body) expectMatchesEntity("AdminReport", report);
		const shown = await apiJson<{ statuses: { id: string }[]; comment: string }>(
			`/api/v1/admin/reports/${filed.body.id}`,
			moderator.token,
		);
		expect(shown.body.statuses.map((s) => s.id)).toEqual([post.id]);
		const assigned = await apiJson<{ assigned_account: { id: string } | null }>(
			`/api/v1/admin/reports/${filed.body.id}/assign_to_self`,
			moderator.token,
			{ method: "POST" },
		);
		expectMatchesEntity("AdminReport", assigned.body);
		expect(assigned.body.assigned_account?.id).toBe(moderator.account.id);
		const resolved = await apiJson<{ action_taken: boolean; action_taken_by_account: { id: string } }>(
			`/api/v1/admin/reports/${filed.body.id}/resolve`,
			moderator.token,
			{ method: "POST" },
		);
		expect(resolved.body.action_taken).toBe(true);
		expect(resolved.body.action_taken_by_account.id).toBe(moderator.account.id);
		expect(
			(await apiJson<{ id: string }[]>("/api/v1/admin/reports", moderator.token)).body.map((r) => r.id),
		).not.toContain(filed.body.id);
		expect(
			(await apiJson<{ id: string }[]>("/api/v1/admin/reports?resolved=true", moderator.token)).body.map((r) => r.id),
		).toContain(filed.body.id);
		const reopened = await apiJson<{ action_taken: boolean }>(
			`/api/v1/admin/reports/${filed.body.id}/reopen`,
			moderator.token,
			{ method: "POST" },
		);
		expect(reopened.body.action_taken).toBe(false);
		const updated = await apiJson<{ category: string }>(`/api/v1/admin/reports/${filed.body.id}`, moderator.token, {
			method: "PUT",
			body: { category: "legal" },
		});
		expect(updated.body.category).toBe("legal");
		expect(
			(
				await apiJson(`/api/v1/admin/reports/${filed.body.id}`, moderator.token, {
					method: "PUT",
					body: { category: "nope" },
				})
			).status,
		).toBe(422);
		expect(
			(await apiJson("/api/v1/admin/reports/999999999999999999/resolve", moderator.token, { method: "POST" })).status,
		).toBe(404);
		const member = await createTestUser({ scopes: "admin:read admin:write" });
		expect((await apiJson("/api/v1/admin/reports", member.token)).status).toBe(403);
	});

	it("resolving through an account action resolves every open report about the account", async () => {
		const admin = await createStaff();
		const target = await createTestUser();
		const ids: string[] = [];
		for (let i = 0; i < 2; i++) {
			const reporter = await createTestUser();
			const filed = await apiJson<{ id: string }>("/api/v1/reports", reporter.token, {
				method: "POST",
				body: { account_id: target.account.id },
			});
			ids.push(filed.body.id);
		}
		const done = await apiJson(`/api/v1/admin/accounts/${target.account.id}/action`, admin.token, {
			method: "POST",
			body: { type: "silence", report_id: ids[0], text: "limited for spam" },
		});
		expect(done.status).toBe(200);
		for (const id of ids) {
			const [row] = await db().select().from(reports).where(eq(reports.id, id));
			expect(row?.actionTakenAt).not.toBeNull();
			expect(row?.actionTakenByAccountId).toBe(admin.account.id);
		}
		const warned = await db().select().from(notifications).where(eq(notifications.accountId, target.account.id));
		expect(warned.map((n) => n.type)).toEqual(["moderation_warning"]);
	});
});
