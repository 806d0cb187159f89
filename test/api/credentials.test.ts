import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { MastodonCredentialAccount } from "../../src/serializers/mastodon/entities";
import { ensureAccountKeys } from "../../src/services/accounts/keys";
import { pngFile } from "../helpers/images";
import { expectMatchesSchema } from "../helpers/openapi";
import { fetchSettled } from "../helpers/outbox";
import { createRemoteAccount, insertFollow } from "../helpers/remote";
import { api, createTestUser, db } from "../helpers/users";

const PATH = "/api/v1/accounts/update_credentials";

function patch(token: string, body: BodyInit, contentType?: string) {
	return api(PATH, {
		method: "PATCH",
		token,
		headers: contentType ? { "Content-Type": contentType } : undefined,
		body,
	});
}

describe("PATCH /api/v1/accounts/update_credentials", () => {
	it("updates the profile from JSON and returns the CredentialAccount", async () => {
		const user = await createTestUser();
		const response = await patch(
			user.token,
			JSON.stringify({
				display_name: "Arctic Tern",
				note: "Flies <far>.\n\nVery far.",
				locked: true,
				bot: true,
				discoverable: false,
				indexable: true,
				hide_collections: true,
				fields_attributes: [
					{ name: "Home", value: "https://tern.example" },
					{ name: "Pronouns", value: "<b>they</b>" },
				],
				source: { privacy: "unlisted", sensitive: true, language: "de" },
			}),
			"application/json",
		);
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonCredentialAccount;
		expectMatchesSchema("PATCH", PATH, 200, body);
		expect(body).toMatchObject({
			display_name: "Arctic Tern",
			note: "<p>Flies &lt;far&gt;.</p><p>Very far.</p>",
			locked: true,
			bot: true,
			discoverable: false,
			indexable: true,
			hide_collections: true,
			source: { note: "Flies <far>.\n\nVery far.", privacy: "unlisted", sensitive: true, language: "de" },
		});
		expect(body.fields).toEqual([
			{ name: "Home", value: "https://tern.example", verified_at: null },
			{ name: "Pronouns", value: "&lt;b&gt;they&lt;/b&gt;", verified_at: null },
		]);
		expect(body.source.fields[1]?.value).toBe("<b>they</b>");
		const me = (await (
			await api("/api/v1/accounts/verify_credentials", { token: user.token })
		).json()) as MastodonCredentialAccount;
		expect(me.display_name).toBe("Arctic Tern");
	});

	it("accepts multipart with indexed fields, an avatar and a header, served from /media", async () => {
		const user = await createTestUser();
		const form = new FormData();
		form.set("display_name", "Pic");
		form.set("fields_attributes[0][name]", "A");
		form.set("fields_attributes[0][value]", "1");
		form.set("fields_attributes[1][name]", "B");
		form.set("fields_attributes[1][value]", "2");
		form.set("avatar", pngFile("me.png"));
		form.set("header", pngFile("banner.png", "application/octet-stream"));
		const response = await api(PATH, { method: "PATCH", token: user.token, body: form });
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonCredentialAccount;
		expectMatchesSchema("PATCH", PATH, 200, body);
		expect(body.fields.map((f) => f.name)).toEqual(["A", "B"]);
		expect(body.avatar).toMatch(/^https:\/\/tern\.test\/media\/avatars\/\d+\/original\.png$/);
		expect(body.header).toMatch(/^https:\/\/tern\.test\/media\/headers\/\d+\/original\.png$/);
		const image = await api(new URL(body.avatar).pathname);
		expect(image.status).toBe(200);
		expect(image.headers.get("Content-Type")).toBe("image/png");
		expect(image.headers.get("Cache-Control")).toContain("immutable");
		expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(20);
	});

	it("sends an Update of the actor to remote followers", async () => {
		const user = await createTestUser();
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, user.account.id);
		const follower = await createRemoteAccount();
		await insertFollow(follower.id, user.account.id);
		const posts: { url: string; body: Record<string, unknown> }[] = [];
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			const request = new Request(input, init);
			posts.push({ url: request.url, body: await request.json() });
			return new Response(null, { status: 202 });
		});
		try {
			const response = await fetchSettled(
				new Request("https://tern.test/api/v1/accounts/update_credentials", {
					method: "PATCH",
					headers: { Authorization: `Bearer ${user.token}`, "Content-Type": "application/json" },
					body: JSON.stringify({ display_name: "Q" }),
				}),
			);
			expect(response.status).toBe(200);
		} finally {
			vi.restoreAllMocks();
		}
		expect(posts).toHaveLength(1);
		expect(posts[0]?.url).toBe(follower.sharedInboxUrl);
		expect(posts[0]?.body).toMatchObject({ type: "Update", object: { id: user.account.uri, name: "Q" } });
	});

	it("refuses bad input with 422 and changes nothing", async () => {
		const user = await createTestUser();
		const cases: [BodyInit, string | undefined][] = [
			[JSON.stringify({ display_name: "x".repeat(31) }), "application/json"],
			[JSON.stringify({ note: "x".repeat(501) }), "application/json"],
			[
				JSON.stringify({ fields_attributes: [1, 2, 3, 4, 5].map((n) => ({ name: `n${n}`, value: "v" })) }),
				"application/json",
			],
			[JSON.stringify({ source: { privacy: "secret" } }), "application/json"],
			[JSON.stringify({ locked: "maybe" }), "application/json"],
		];
		const notImage = new FormData();
		notImage.set("display_name", "Changed");
		notImage.set("avatar", new File(["<svg onload=alert(1)>"], "x.png", { type: "image/png" }));
		cases.push([notImage, undefined]);
		for (const [body, type] of cases) {
			const response = await patch(user.token, body, type);
			expect(response.status).toBe(422);
		}
		const me = (await (
			await api("/api/v1/accounts/verify_credentials", { token: user.token })
		).json()) as MastodonCredentialAccount;
		expect(me.display_name).toBe("");
		expect(me.avatar).toBe("https://tern.test/avatars/original/missing.png");
	});

	it("takes PUT as well, as Mastodon's routes do", async () => {
		const user = await createTestUser();
		const response = await api(PATH, {
			method: "PUT",
			token: user.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ display_name: "Put" }),
		});
		expect(response.status).toBe(200);
		expect(((await response.json()) as MastodonCredentialAccount).display_name).toBe("Put");
	});

	it("needs write:accounts", async () => {
		const user = await createTestUser({ scopes: "read" });
		expect((await patch(user.token, JSON.stringify({ display_name: "x" }), "application/json")).status).toBe(403);
		expect((await api(PATH, { method: "PATCH" })).status).toBe(401);
	});
});
