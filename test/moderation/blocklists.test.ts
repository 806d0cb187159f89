import { inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { domainBlocks } from "../../src/db/schema";
import { ValidationError } from "../../src/lib/errors";
import { CLI_MODERATOR } from "../../src/services/moderation/audit-log";
import {
	exportBlocklist,
	importBlocklist,
	parseBlocklist,
	previewBlocklist,
} from "../../src/services/moderation/blocklist";
import { apiJson, captureOutbox, createStaff, moderationContext, uniqueDomain } from "../helpers/moderation";
import { expectMatchesEntity } from "../helpers/openapi";
import { db } from "../helpers/users";

beforeEach(async () => {
	await captureOutbox();
});

afterEach(() => {
	vi.restoreAllMocks();
});

const HEADER = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate";

describe("reading Mastodon's blocklist CSV", () => {
	it("reads the export format, quoted comments included", () => {
		const { entries } = parseBlocklist(
			`${HEADER}\nspam.example,suspend,false,false,"Spam, lots of it",false\nloud.example,silence,true,true,,true\n`,
			"tern.test",
		);
		expect(entries).toEqual([
			{
				line: 2,
				domain: "spam.example",
				severity: "suspend",
				rejectMedia: false,
				rejectReports: false,
				publicComment: "Spam, lots of it",
				obfuscate: false,
			},
			{
				line: 3,
				domain: "loud.example",
				severity: "silence",
				rejectMedia: true,
				rejectReports: true,
				publicComment: null,
				obfuscate: true,
			},
		]);
	});

	it("reads headers without #, in any order, and bare lists of domains (suspended, as Mastodon defaults)", () => {
		expect(parseBlocklist("severity,domain\nsilence,a.example\n", "tern.test").entries[0]).toMatchObject({
			domain: "a.example",
			severity: "silence",
		});
		expect(
			parseBlocklist("b.example\r\nc.example\r\n", "tern.test").entries.map((e) => [e.domain, e.severity]),
		).toEqual([
			["b.example", "suspend"],
			["c.example", "suspend"],
		]);
	});

	it("names the first bad line of a malformed file", () => {
		const cases: [string, RegExp][] = [
			["", /empty/],
			[`${HEADER}\n`, /no domains/],
			[`${HEADER}\nx.example,obliterate\n`, /Line 2: severity must be/],
			[`${HEADER}\nx.example,suspend,maybe\n`, /Line 2: reject_media must be true or false/],
			[`${HEADER}\nnot a domain,suspend\n`, /Line 2: "not a domain" is not a domain/],
			[`${HEADER}\n"x.example,suspend\n`, /malformed.*never closed/],
			["#domain,#colour\nx.example,red\n", /unknown column colour/],
			["x.example,suspend,false\n", /Line 1: no header/],
			[`${HEADER}\ntern.test,suspend\n`, /own domain/],
			[`${HEADER}\nx.example,suspend,false,false,,false,extra\n`, /Line 2: 7 fields for 6 columns/],
		];
		for (const [text, message] of cases) {
			expect(() => parseBlocklist(text, "tern.test"), text).toThrow(ValidationError);
			expect(() => parseBlocklist(text, "tern.test"), text).toThrow(message);
		}
	});
});

describe("importing a blocklist", () => {
	it("previews, then blocks only what is new, each logged, and exports what it imported", async () => {
		const ctx = moderationContext();
		const parent = uniqueDomain("parent");
		const fresh = uniqueDomain("fresh");
		const existing = uniqueDomain("existing");
		const admin = await createStaff();
		await apiJson("/api/v1/admin/domain_blocks", admin.token, {
			method: "POST",
			body: { domain: parent, severity: "suspend" },
		});
		await apiJson("/api/v1/admin/domain_blocks", admin.token, {
			method: "POST",
			body: { domain: existing, severity: "silence" },
		});
		const csv = `${HEADER}\n${fresh},silence,true,false,noisy,false\n${existing},suspend,false,false,,false\nsub.${parent},silence,false,false,,false\n${fresh},suspend,false,false,,false\n`;
		const preview = await previewBlocklist(ctx, csv);
		expect(preview.rows.map((r) => [r.domain, r.action])).toEqual([
			[fresh, "add"],
			[existing, "already_blocked"],
			[`sub.${parent}`, "covered_by_parent"],
			[fresh, "duplicate"],
		]);
		// The preview changed nothing.
		expect(
			await db()
				.select()
				.from(domainBlocks)
				.where(inArray(domainBlocks.domain, [fresh])),
		).toEqual([]);
		const { added } = await importBlocklist(ctx, CLI_MODERATOR, csv);
		expect(added.map((b) => [b.domain, b.severity, b.rejectMedia, b.publicComment])).toEqual([
			[fresh, "silence", true, "noisy"],
		]);
		const [kept] = await db()
			.select()
			.from(domainBlocks)
			.where(inArray(domainBlocks.domain, [existing]));
		expect(kept?.severity).toBe("silence");
		const exported = await exportBlocklist(db());
		expect(exported.split("\n")[0]).toBe(HEADER);
		expect(exported).toContain(`${fresh},silence,true,false,noisy,false`);
		const listed = await apiJson<{ domain: string }[]>("/api/v1/admin/domain_blocks?limit=200", admin.token);
		for (const block of listed.body) expectMatchesEntity("AdminDomainBlock", block);
		for (const block of listed.body.filter((b) => [parent, existing, fresh].includes(b.domain))) {
			await apiJson(`/api/v1/admin/domain_blocks/${(block as unknown as { id: string }).id}`, admin.token, {
				method: "DELETE",
			});
		}
	});

	it("a malformed file changes nothing", async () => {
		const ctx = moderationContext();
		const domain = uniqueDomain("never");
		await expect(
			importBlocklist(ctx, CLI_MODERATOR, `${HEADER}\n${domain},suspend\nbad domain,suspend\n`),
		).rejects.toThrow(/Line 3/);
		expect(
			await db()
				.select()
				.from(domainBlocks)
				.where(inArray(domainBlocks.domain, [domain])),
		).toEqual([]);
	});
});

describe("the admin domain blocks API", () => {
	it("creates, refuses a duplicate with the existing block, updates and deletes", async () => {
		const admin = await createStaff();
		const domain = uniqueDomain();
		const created = await apiJson<{ id: string; severity: string }>("/api/v1/admin/domain_blocks", admin.token, {
			method: "POST",
			body: { domain: `HTTPS://${domain.toUpperCase()}/path`, severity: "silence", private_comment: "seen spam" },
		});
		expect(created.status).toBe(200);
		expectMatchesEntity("AdminDomainBlock", created.body);
		expect(created.body).toMatchObject({ domain, severity: "silence", private_comment: "seen spam" });
		const again = await apiJson<{ existing_domain_block: { id: string } }>("/api/v1/admin/domain_blocks", admin.token, {
			method: "POST",
			body: { domain, severity: "silence" },
		});
		expect(again.status).toBe(422);
		expect(again.body.existing_domain_block.id).toBe(created.body.id);
		for (const body of [{}, { domain: "a b" }, { domain: "tern.test" }, { domain: `x.${domain}`, severity: "total" }]) {
			expect((await apiJson("/api/v1/admin/domain_blocks", admin.token, { method: "POST", body })).status).toBe(422);
		}
		const updated = await apiJson<{ severity: string; obfuscate: boolean }>(
			`/api/v1/admin/domain_blocks/${created.body.id}`,
			admin.token,
			{
				method: "PUT",
				body: { severity: "suspend", obfuscate: true },
			},
		);
		expect(updated.body).toMatchObject({ severity: "suspend", obfuscate: true });
		expect(
			(await apiJson(`/api/v1/admin/domain_blocks/${created.body.id}`, admin.token, { method: "DELETE" })).status,
		).toBe(200);
		expect((await apiJson(`/api/v1/admin/domain_blocks/${created.body.id}`, admin.token)).status).toBe(404);
		expect(
			(await apiJson("/api/v1/admin/domain_blocks/999999999999999999", admin.token, { method: "PUT", body: {} }))
				.status,
		).toBe(404);
	});
});

describe("the transparency endpoints", () => {
	it("show the domain blocks only as the admin chose, obfuscated where asked", async () => {
		const admin = await createStaff();
		const domain = uniqueDomain("public");
		const hidden = await apiJson("/api/v1/instance/domain_blocks", undefined);
		expect(hidden.status).toBe(404);
		const created = await apiJson<{ id: string }>("/api/v1/admin/domain_blocks", admin.token, {
			method: "POST",
			body: { domain, severity: "suspend", obfuscate: true, public_comment: "harassment" },
		});
		const { writeInstanceSettings } = await import("../../src/services/instance/settings");
		await writeInstanceSettings(db(), { showDomainBlocks: "users", showDomainBlocksRationale: "all" });
		try {
			expect((await apiJson("/api/v1/instance/domain_blocks", undefined)).status).toBe(404);
			const shown = await apiJson<{ domain: string; digest: string; comment?: string }[]>(
				"/api/v1/instance/domain_blocks",
				admin.token,
			);
			expect(shown.status).toBe(200);
			const { expectMatchesSchema } = await import("../helpers/openapi");
			expectMatchesSchema("GET", "/api/v1/instance/domain_blocks", 200, shown.body);
			const entry = shown.body.find((b) => b.digest.length === 64 && b.comment === "harassment");
			expect(entry?.domain).toContain("*");
			expect(entry?.domain).not.toBe(domain);
			expect(entry?.domain.length).toBe(domain.length);
		} finally {
			await writeInstanceSettings(db(), { showDomainBlocks: "", showDomainBlocksRationale: "" });
			await apiJson(`/api/v1/admin/domain_blocks/${created.body.id}`, admin.token, { method: "DELETE" });
		}
	});

	it("leave blocked servers out of the peers and give the extended description", async () => {
		const admin = await createStaff();
		const { storeActor, fakeActor } = await import("../helpers/fediverse");
		const domain = uniqueDomain("peer");
		await storeActor(await fakeActor({ domain }));
		expect((await apiJson<string[]>("/api/v1/instance/peers", undefined)).body).toContain(domain);
		const created = await apiJson<{ id: string }>("/api/v1/admin/domain_blocks", admin.token, {
			method: "POST",
			body: { domain, severity: "silence" },
		});
		expect((await apiJson<string[]>("/api/v1/instance/peers", undefined)).body).not.toContain(domain);
		await apiJson(`/api/v1/admin/domain_blocks/${created.body.id}`, admin.token, { method: "DELETE" });
		const { expectMatchesSchema } = await import("../helpers/openapi");
		const described = await apiJson<{ content: string }>("/api/v1/instance/extended_description", undefined);
		expectMatchesSchema("GET", "/api/v1/instance/extended_description", 200, described.body);
		const rules = await apiJson("/api/v1/instance/rules", undefined);
		expectMatchesSchema("GET", "/api/v1/instance/rules", 200, rules.body);
	});
});
