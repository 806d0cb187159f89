import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts } from "../../src/db/schema";
import { ensureAccountKeys } from "../../src/services/accounts/keys";
import { api, createTestUser, db } from "../helpers/users";
import { AP_ACCEPT, fetchDocument } from "./helpers";

type Actor = Record<string, unknown> & {
	publicKey?: { id: string; owner: string; publicKeyPem: string };
	assertionMethod?: { id: string; type: string; controller: string; publicKeyMultibase: string }[];
	endpoints: { sharedInbox: string };
};

describe("actor documents", () => {
	it("serves a Person with every field once keys exist", async () => {
		const { account } = await createTestUser();
		await db()
			.update(accounts)
			.set({
				displayName: "Alice",
				noteHtml: "<p>Hi</p>",
				locked: true,
				fields: [{ name: "Site", value: "example.com", verifiedAt: null }],
				avatarUrl: "https://tern.test/media/a.png",
				alsoKnownAs: ["https://old.example/users/alice"],
			})
			.where(eq(accounts.id, account.id));
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, account.id);
		const response = await fetchDocument(`/users/${account.username}`);
		expect(response.status).toBe(200);
		expect(response.headers.get("content-type")).toContain("application/activity+json");
		const actor = (await response.json()) as Actor;
		const uri = `https://tern.test/users/${account.username}`;
		expect(actor).toMatchObject({
			id: uri,
			type: "Person",
			preferredUsername: account.username,
			name: "Alice",
			summary: "<p>Hi</p>",
			url: `https://tern.test/@${account.username}`,
			inbox: `${uri}/inbox`,
			outbox: `${uri}/outbox`,
			followers: `${uri}/followers`,
			following: `${uri}/following`,
			featured: `${uri}/collections/featured`,
			endpoints: { sharedInbox: "https://tern.test/inbox" },
			manuallyApprovesFollowers: true,
			discoverable: true,
			indexable: false,
			memorial: false,
			icon: { type: "Image", url: "https://tern.test/media/a.png" },
			attachment: [{ type: "PropertyValue", name: "Site", value: "example.com" }],
			alsoKnownAs: ["https://old.example/users/alice"],
			tag: [],
		});
		expect(actor["@context"]).toContain("https://www.w3.org/ns/activitystreams");
		expect(actor.published).toMatch(/T00:00:00Z$/);
		expect(actor.publicKey?.id).toBe(`${uri}#main-key`);
		expect(actor.publicKey?.owner).toBe(uri);
		expect(actor.publicKey?.publicKeyPem).toContain("BEGIN PUBLIC KEY");
		expect(actor.assertionMethod?.[0]).toMatchObject({ id: `${uri}#ed25519-key`, type: "Multikey", controller: uri });
		expect(actor.assertionMethod?.[0]?.publicKeyMultibase).toMatch(/^z6Mk/);
	});

	it("omits keys that are not generated yet, and bots are Services", async () => {
		const { account } = await createTestUser();
		await db().update(accounts).set({ bot: true }).where(eq(accounts.id, account.id));
		const actor = (await (
			await fetchDocument(`/users/${account.username}`, { accept: "application/activity+json" })
		).json()) as Actor;
		expect(actor.type).toBe("Service");
		expect(actor.publicKey).toBeUndefined();
		expect(actor.assertionMethod).toBeUndefined();
	});

	it("gives browsers an HTML profile at /@username and /users/username", async () => {
		const { account } = await createTestUser();
		await db().update(accounts).set({ displayName: "<script>x</script>" }).where(eq(accounts.id, account.id));
		for (const path of [`/@${account.username}`, `/users/${account.username}`]) {
			const response = await api(path, { headers: { Accept: "text/html,application/xhtml+xml" } });
			expect(response.status).toBe(200);
			expect(response.headers.get("content-type")).toContain("text/html");
			const html = await response.text();
			expect(html).toContain(`@${account.username}@tern.test`);
			expect(html).toContain("&lt;script&gt;");
			expect(html).not.toContain("<script>x");
		}
		const json = await api(`/@${account.username}`, { headers: { Accept: AP_ACCEPT } });
		expect(json.headers.get("content-type")).toContain("application/activity+json");
	});

	it("answers 404 for unknown and remote accounts", async () => {
		expect((await fetchDocument("/users/nobody-at-all")).status).toBe(404);
		expect((await api("/@nobody-at-all")).status).toBe(404);
	});

	it("serves the instance actor as an Application", async () => {
		const response = await api("/actor", { headers: { Accept: AP_ACCEPT } });
		expect(response.status).toBe(200);
		const actor = (await response.json()) as Actor;
		expect(actor).toMatchObject({
			id: "https://tern.test/actor",
			type: "Application",
			preferredUsername: "tern.test",
			inbox: "https://tern.test/actor/inbox",
			manuallyApprovesFollowers: true,
		});
		expect(actor.followers).toBeUndefined();
		const redirect = await api("/users/tern.test", { headers: { Accept: AP_ACCEPT }, redirect: "manual" });
		expect(redirect.status).toBe(301);
		expect(redirect.headers.get("location")).toBe("https://tern.test/actor");
	});
});
