import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../../src/context";
import { accounts } from "../../src/db/schema";
import { relMeLinks, verifyProfileLinks } from "../../src/services/accounts/link-verification";
import { createTestUser, db } from "../helpers/users";

afterEach(() => vi.restoreAllMocks());

function serve(pages: Record<string, string>) {
	return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const url = new Request(input, init).url;
		const page = pages[url];
		return page === undefined
			? new Response("no", { status: 404 })
			: new Response(page, { headers: { "Content-Type": "text/html; charset=utf-8" } });
	});
}

describe("profile link verification", () => {
	it("finds rel=me on links and link elements", () => {
		expect(
			relMeLinks(
				'<head><link rel="me" href="https://a.example/@x"></head><a rel="nofollow me" href="https://b.example/@y">y</a><a href="https://c.example">no</a>',
			),
		).toEqual(expect.arrayContaining(["https://a.example/@x", "https://b.example/@y"]));
	});

	it("marks a field verified when its page links back with rel=me, and only then", async () => {
		const user = await createTestUser();
		const profile = `https://tern.test/@${user.account.username}`;
		await db()
			.update(accounts)
			.set({
				url: profile,
				fields: [
					{ name: "Site", value: "https://site.example/", verifiedAt: null },
					{ name: "Other", value: "https://other.example/", verifiedAt: null },
					{ name: "Text", value: "just words", verifiedAt: null },
				],
			})
			.where(eq(accounts.id, user.account.id));
		serve({
			"https://site.example/": `<html><body><a rel="me" href="${profile}">me on Tern</a></body></html>`,
			"https://other.example/": `<html><body><a href="${profile}">not rel=me</a></body></html>`,
		});
		await verifyProfileLinks(
			{ ...serviceContext(env), config: { ...serviceContext(env).config, allowPrivateAddresses: true } },
			user.account.id,
		);
		const [row] = await db().select({ fields: accounts.fields }).from(accounts).where(eq(accounts.id, user.account.id));
		expect(row?.fields[0]?.verifiedAt).toBeTruthy();
		expect(row?.fields[1]?.verifiedAt).toBeNull();
		expect(row?.fields[2]?.verifiedAt).toBeNull();
	});
});
