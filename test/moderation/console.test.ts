import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accounts, adminActionLogs, deadLetters, domainBlocks, reports, users } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { countD1 } from "../helpers/d1-counter";
import { fakeActor, storeActor } from "../helpers/fediverse";
import { apiJson, captureOutbox, createStaff, uniqueDomain } from "../helpers/moderation";
import { CookieJar, formField, formPost, PASSWORD, pageGet } from "../helpers/oauth";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

beforeEach(async () => {
	await captureOutbox();
});

afterEach(() => {
	vi.restoreAllMocks();
});

/** Signs in through the sign-in page, coming back to `returnTo`; returns the cookie jar. */
async function signIn(user: TestUser, returnTo = "/admin"): Promise<CookieJar> {
	const jar = new CookieJar();
	const redirect = await pageGet(returnTo, jar);
	expect(redirect.status).toBe(303);
	const location = redirect.headers.get("Location") ?? "";
	expect(location).toBe(`/auth/sign_in?return_to=${encodeURIComponent(returnTo)}`);
	const page = await pageGet(location, jar);
	const html = await page.text();
	const posted = await formPost("/auth/sign_in", jar, {
		authenticity_token: formField(html, "authenticity_token") ?? "",
		return_to: formField(html, "return_to") ?? "",
		email: user.user.email,
		password: PASSWORD,
	});
	expect(posted.status).toBe(303);
	expect(posted.headers.get("Location")).toBe(returnTo);
	return jar;
}

async function csrfOf(path: string, jar: CookieJar): Promise<string> {
	const page = await pageGet(path, jar);
	expect(page.status).toBe(200);
	return formField(await page.text(), "authenticity_token") ?? "";
}

async function multipart(
	path: string,
	jar: CookieJar,
	fields: Record<string, string>,
	file: { name: string; text: string },
) {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) form.set(key, value);
	form.set(file.name, new File([file.text], "blocklist.csv", { type: "text/csv" }));
	const response = await api(path, { method: "POST", headers: { Cookie: jar.header() }, body: form });
	jar.take(response);
	return response;
}

describe("who may open the console", () => {
	it("sends visitors to sign in and back, and refuses members who are not staff", async () => {
		const member = await createTestUser();
		const jar = await signIn(member);
		const refused = await pageGet("/admin", jar);
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain("moderators and admins");
		// An open redirect is not a place to come back to.
		const page = await pageGet("/auth/sign_in?return_to=https://evil.example/", new CookieJar());
		expect(formField(await page.text(), "return_to")).toBeUndefined();
	});

	it("shows moderators their parts only", async () => {
		const moderator = await createStaff("moderator");
		const jar = await signIn(moderator);
		const dashboard = await pageGet("/admin", jar);
		expect(dashboard.status).toBe(200);
		const html = await dashboard.text();
		expect(html).toContain("reports open");
		expect(html).not.toContain("Domain blocks</a>");
		expect((await pageGet("/admin/domain_blocks", jar)).status).toBe(403);
		expect((await pageGet("/admin/settings", jar)).status).toBe(403);
		expect((await pageGet("/admin/reports", jar)).status).toBe(200);
		expect((await pageGet("/admin/audit_log", jar)).status).toBe(200);
	});
});

describe("every form", () => {
	it("refuses a post without the CSRF token, or with another session's, and changes nothing", async () => {
		const admin = await createStaff();
		const jar = await signIn(admin);
		const other = await signIn(await createStaff());
		const otherToken = await csrfOf("/admin/domain_blocks", other);
		const domain = uniqueDomain("csrf");
		for (const token of [undefined, "forged", otherToken]) {
			const fields: Record<string, string> = { domain, severity: "suspend" };
			if (token) fields.authenticity_token = token;
			const response = await formPost("/admin/domain_blocks", jar, fields);
			expect(response.status).toBe(403);
			expect(await response.text()).toContain("Nothing was changed");
		}
		expect(await db().select().from(domainBlocks).where(eq(domainBlocks.domain, domain))).toEqual([]);
		const target = await createTestUser();
		const refused = await formPost(`/admin/accounts/${target.account.id}`, jar, { op: "act", action: "suspend" });
		expect(refused.status).toBe(403);
		const [still] = await db().select().from(accounts).where(eq(accounts.id, target.account.id));
		expect(still?.suspendedAt).toBeNull();
	});
});

describe("the account page's password reset", () => {
	it("ends the old password and sessions and shows a one-time link; a moderator cannot reset an admin", async () => {
		const admin = await createStaff();
		const jar = await signIn(admin);
		const member = await createTestUser();
		const memberJar = await signIn(member, "/settings/profile");
		const path = `/admin/accounts/${member.account.id}`;
		const done = await formPost(path, jar, { authenticity_token: await csrfOf(path, jar), op: "reset_password" });
		expect(done.status).toBe(200);
		const link = /(https?:\/\/[^<\s]+\/auth\/password\/reset\/[A-Za-z0-9_-]+)/.exec(await done.text())?.[1];
		expect(link).toBeDefined();
		const [user] = await db().select().from(users).where(eq(users.accountId, member.account.id));
		expect(user?.passwordHash).toBeNull();
		// Their browser session ended, and the old password no longer signs in.
		expect((await pageGet("/settings/profile", memberJar)).status).toBe(303);
		const fresh = new CookieJar();
		const form = await (await pageGet("/auth/sign_in", fresh)).text();
		const again = await formPost("/auth/sign_in", fresh, {
			authenticity_token: formField(form, "authenticity_token") ?? "",
			email: member.user.email,
			password: PASSWORD,
		});
		expect(again.headers.get("Location")).not.toMatch(/^\/settings/);
		expect((await pageGet("/settings/profile", fresh)).status).toBe(303);
		// The link opens the page where they choose a new password.
		expect((await pageGet(new URL(link as string).pathname, new CookieJar())).status).toBe(200);
		const logged = await db()
			.select()
			.from(adminActionLogs)
			.where(eq(adminActionLogs.targetId, user?.id ?? ""));
		expect(logged.map((l) => l.action)).toContain("reset_password");

		const moderatorJar = await signIn(await createStaff("moderator"));
		const adminPath = `/admin/accounts/${admin.account.id}`;
		const refused = await formPost(adminPath, moderatorJar, {
			authenticity_token: await csrfOf(adminPath, moderatorJar),
			op: "reset_password",
		});
		expect(refused.status).toBe(303);
		const [untouched] = await db().select().from(users).where(eq(users.accountId, admin.account.id));
		expect(untouched?.passwordHash).not.toBeNull();
	});
});

describe("the reports page", () => {
	it("resolves a report by suspending the remote account, with a note in the audit log", async () => {
		const moderator = await createStaff("moderator");
		const reporter = await createTestUser();
		const remote = await storeActor(await fakeActor());
		const filed = await apiJson<{ id: string }>("/api/v1/reports", reporter.token, {
			method: "POST",
			body: { account_id: remote.id, comment: "spam account", category: "spam" },
		});
		const jar = await signIn(moderator, `/admin/reports/${filed.body.id}`);
		const page = await pageGet(`/admin/reports/${filed.body.id}`, jar);
		const html = await page.text();
		expect(html).toContain("spam account");
		const csrf = formField(html, "authenticity_token") ?? "";
		const resolved = await formPost(`/admin/reports/${filed.body.id}`, jar, {
			authenticity_token: csrf,
			op: "act",
			action: "suspend",
			note: "obvious spam",
		});
		expect(resolved.status).toBe(303);
		const [report] = await db().select().from(reports).where(eq(reports.id, filed.body.id));
		expect(report?.actionTakenByAccountId).toBe(moderator.account.id);
		const [account] = await db().select().from(accounts).where(eq(accounts.id, remote.id));
		expect(account?.suspendedAt).not.toBeNull();
		const log = await db().select().from(adminActionLogs).where(eq(adminActionLogs.accountId, moderator.account.id));
		expect(log.map((l) => [l.action, l.note])).toEqual(
			expect.arrayContaining([
				["suspend", "obvious spam"],
				["resolve", "obvious spam"],
			]),
		);
		const audit = await (await pageGet("/admin/audit_log", jar)).text();
		expect(audit).toContain("obvious spam");
	});
});

describe("the domain blocks page", () => {
	it("previews a CSV, then imports it; a malformed one changes nothing", async () => {
		const admin = await createStaff();
		const jar = await signIn(admin, "/admin/domain_blocks");
		const csrf = await csrfOf("/admin/domain_blocks", jar);
		const domains = [uniqueDomain("csv"), uniqueDomain("csv"), uniqueDomain("csv")];
		const csv = `#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n${domains[0]},suspend,false,false,,false\n${domains[1]},silence,true,false,rude,false\n${domains[2]},noop,true,true,,false\n`;
		const preview = await multipart(
			"/admin/domain_blocks/import",
			jar,
			{ authenticity_token: csrf },
			{ name: "file", text: csv },
		);
		expect(preview.status).toBe(200);
		const previewHtml = await preview.text();
		expect(previewHtml).toContain("3 of 3 domains would be blocked");
		expect(await db().select().from(domainBlocks).where(inArray(domainBlocks.domain, domains))).toEqual([]);
		const applied = await formPost("/admin/domain_blocks/import/apply", jar, {
			authenticity_token: csrf,
			csv: formField(previewHtml, "csv") ?? "",
		});
		expect(applied.status).toBe(303);
		expect(decodeURIComponent(applied.headers.get("Location") ?? "")).toContain("3 domains blocked");
		expect((await db().select().from(domainBlocks).where(inArray(domainBlocks.domain, domains))).length).toBe(3);

		const bad = await multipart(
			"/admin/domain_blocks/import",
			jar,
			{ authenticity_token: csrf },
			{ name: "file", text: "#domain,#severity\nx.example,total\n" },
		);
		expect(bad.status).toBe(303);
		expect(decodeURIComponent(bad.headers.get("Location") ?? "")).toContain("Line 2: severity must be");
		const exported = await pageGet("/admin/domain_blocks/export.csv", jar);
		expect(exported.headers.get("Content-Type")).toMatch(/^text\/csv/);
		expect(await exported.text()).toContain(`${domains[1]},silence,true,false,rude,false`);
		for (const block of await db().select().from(domainBlocks).where(inArray(domainBlocks.domain, domains))) {
			await formPost(`/admin/domain_blocks/${block.id}/delete`, jar, { authenticity_token: csrf });
		}
		expect(await db().select().from(domainBlocks).where(inArray(domainBlocks.domain, domains))).toEqual([]);
	});
});

describe("the dashboard", () => {
	it("replays a dead letter to its queue and logs it", async () => {
		const admin = await createStaff();
		const id = newId();
		await db()
			.insert(deadLetters)
			.values({
				id,
				queue: "tern-jobs",
				body: { type: "media.process", mediaId: "1" },
				attempts: 10,
				createdAt: new Date(),
			});
		const sent: unknown[] = [];
		vi.spyOn(env.JOBS_QUEUE, "send").mockImplementation(async (body) => {
			sent.push(body);
			return undefined as never;
		});
		const jar = await signIn(admin);
		const html = await (await pageGet("/admin", jar)).text();
		expect(html).toContain("media process");
		// D1 reports the database's size with every result; the dashboard shows it.
		expect(html).toMatch(/\d+\.\d (KiB|MiB)<\/span><span class="label">database size/);
		const replayed = await formPost(`/admin/dead_letters/${id}/replay`, jar, {
			authenticity_token: formField(html, "authenticity_token") ?? "",
		});
		expect(replayed.status).toBe(303);
		expect(sent).toEqual([{ type: "media.process", mediaId: "1" }]);
		expect(await db().select().from(deadLetters).where(eq(deadLetters.id, id))).toEqual([]);
		const [log] = await db().select().from(adminActionLogs).where(eq(adminActionLogs.targetId, id));
		expect(log?.action).toBe("replay");
	});

	it("and every console page load with a handful of D1 round trips", async () => {
		const admin = await createStaff();
		const jar = await signIn(admin);
		const reporter = await createTestUser();
		const filed = await apiJson<{ id: string }>("/api/v1/reports", reporter.token, {
			method: "POST",
			body: { account_id: admin.account.id, comment: "counting" },
		});
		const pages = [
			"/admin",
			"/admin/reports",
			`/admin/reports/${filed.body.id}`,
			"/admin/accounts",
			`/admin/accounts/${reporter.account.id}`,
			"/admin/sign_ups",
			"/admin/domain_blocks",
			"/admin/settings",
			"/admin/audit_log",
		];
		for (const path of pages) {
			const { response, counts } = await countD1(
				new Request(`https://tern.test${path}`, { headers: { Cookie: jar.header() } }),
			);
			expect(response.status, path).toBe(200);
			console.log(`${path}: ${counts.roundTrips} round trips, ${counts.statements} statements`);
			expect(counts.statements, path).toBeLessThanOrEqual(8);
		}
	});
});

describe("the settings page", () => {
	it("saves settings, rules and announcements, refusing bad values", async () => {
		const admin = await createStaff();
		const jar = await signIn(admin, "/admin/settings");
		const csrf = await csrfOf("/admin/settings", jar);
		const bad = await formPost("/admin/settings", jar, { authenticity_token: csrf, registration_mode: "everyone" });
		expect(bad.status).toBe(303);
		expect(decodeURIComponent(bad.headers.get("Location") ?? "")).toContain(
			"Registration mode must be open, approval or closed",
		);
		const saved = await formPost("/admin/settings", jar, {
			authenticity_token: csrf,
			title: "Birds",
			description: "A place for birds",
			extended_description: "Be nice to birds.",
			contact_email: "birds@example.com",
			registration_mode: "approval",
			show_domain_blocks: "disabled",
			show_domain_blocks_rationale: "disabled",
		});
		expect(saved.status).toBe(303);
		const instance = await apiJson<{ title: string; registrations: { approval_required: boolean } }>(
			"/api/v2/instance",
			undefined,
		);
		expect(instance.body.title).toBe("Birds");
		expect(instance.body.registrations.approval_required).toBe(true);
		const about = await apiJson<{ content: string }>("/api/v1/instance/extended_description", undefined);
		expect(about.body.content).toBe("<p>Be nice to birds.</p>");
		await formPost("/admin/settings/rules", jar, { authenticity_token: csrf, text: "No bird harassment" });
		const rules = await apiJson<{ id: string; text: string }[]>("/api/v1/instance/rules", undefined);
		const rule = rules.body.find((r) => r.text === "No bird harassment");
		expect(rule).toBeDefined();
		await formPost(`/admin/settings/rules/${rule?.id}/delete`, jar, { authenticity_token: csrf });
		expect(
			(await apiJson<{ text: string }[]>("/api/v1/instance/rules", undefined)).body.map((r) => r.text),
		).not.toContain("No bird harassment");
		// Back as the deploy configured it, for the other tests.
		const { writeInstanceSettings, forgetCachedSettings } = await import("../../src/services/instance/settings");
		await writeInstanceSettings(db(), {
			title: "",
			description: "",
			extendedDescription: "",
			contactEmail: "",
			registrationMode: "",
		});
		forgetCachedSettings(env);
	});
});
