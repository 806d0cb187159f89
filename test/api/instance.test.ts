import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main";
import type { MastodonInstance, MastodonV1Instance } from "../../src/serializers/mastodon/instance-entities";
import { apiWithVars } from "../helpers/modes";
import { expectMatchesSchema } from "../helpers/openapi";
import { api, createTestUser } from "../helpers/users";

async function cli(...argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await runCli(argv, env, {
		out: (line) => out.push(line),
		err: (line) => err.push(line),
		readFile: async () => new Uint8Array(0),
	});
	return { code, out, err };
}

describe("GET /api/v2/instance", () => {
	it("describes the server truthfully and matches the schema", async () => {
		const admin = await createTestUser({ role: "admin" });
		const response = await api("/api/v2/instance");
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonInstance;
		expectMatchesSchema("GET", "/api/v2/instance", 200, body);
		expect(body.domain).toBe("tern.test");
		expect(body.version).toBe("4.5.0 (compatible; Tern 0.1.0)");
		expect(body.api_versions.mastodon).toEqual(expect.any(Number));
		expect(body.configuration.statuses).toEqual({
			max_characters: 500,
			max_media_attachments: 4,
			characters_reserved_per_url: 23,
		});
		expect(body.configuration.accounts.max_pinned_statuses).toBe(5);
		expect(body.configuration.translation).toEqual({ enabled: false });
		// The same VAPID key as POST /api/v1/apps hands out, stable across requests.
		expect(body.configuration.vapid.public_key).toMatch(/^[A-Za-z0-9_-]{87}$/);
		const app = (await (
			await api("/api/v1/apps", {
				method: "POST",
				headers: { "Content-Type": "application/json" },
				body: JSON.stringify({ client_name: "Vapid check", redirect_uris: "urn:ietf:wg:oauth:2.0:oob" }),
			})
		).json()) as { vapid_key: string };
		expect(app.vapid_key).toBe(body.configuration.vapid.public_key);
		expect(body.configuration.media_attachments.supported_mime_types).toContain("image/png");
		// What Tern can decode for a blurhash, so resizing apps send images that get one.
		expect(body.configuration.media_attachments.image_matrix_limit).toBe(33_177_600);
		// No streaming API exists, so no streaming URL is announced.
		expect("streaming" in body.configuration.urls).toBe(false);
		expect(body.registrations).toMatchObject({ enabled: true, approval_required: false, message: null });
		expect(body.contact.email).toBe("admin@tern.test");
		expect(body.contact.account).not.toBeNull();
		expect(body.usage.users.active_month).toBeGreaterThanOrEqual(0);
		void admin;
	});

	it("counts users who signed in during the last 30 days as active", async () => {
		const before = ((await (await api("/api/v2/instance")).json()) as MastodonInstance).usage.users
			.active_month as number;
		const user = await createTestUser();
		const { db } = await import("../helpers/users");
		const { users } = await import("../../src/db/schema");
		const { eq } = await import("drizzle-orm");
		await db().update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.user.id));
		const after = ((await (await api("/api/v2/instance")).json()) as MastodonInstance).usage.users
			.active_month as number;
		expect(after).toBe(before + 1);
	});

	it("reports closed and approval-only sign-ups", async () => {
		const closed = (await (
			await apiWithVars({ REGISTRATION_MODE: "closed" }, "/api/v2/instance")
		).json()) as MastodonInstance;
		expect(closed.registrations).toMatchObject({ enabled: false, approval_required: false });
		expect(closed.registrations.message).toEqual(expect.any(String));
		const approval = (await (
			await apiWithVars({ REGISTRATION_MODE: "approval" }, "/api/v2/instance")
		).json()) as MastodonInstance;
		expect(approval.registrations).toMatchObject({ enabled: true, approval_required: true });
	});
});

describe("GET /api/v1/instance", () => {
	it("answers the v1 entity (without a streaming URL, which Tern does not have)", async () => {
		const response = await api("/api/v1/instance");
		expect(response.status).toBe(200);
		const body = (await response.json()) as MastodonV1Instance;
		expect(body.urls).toEqual({});
		// The schema requires urls.streaming_api; Tern has no streaming API and does not invent one.
		expectMatchesSchema("GET", "/api/v1/instance", 200, {
			...body,
			urls: { streaming_api: "wss://absent.invalid" },
		});
		expect(body.uri).toBe("tern.test");
		expect(body.stats.user_count).toBeGreaterThan(0);
	});

	it("serves peers from known remote accounts and no made-up activity", async () => {
		const peers = await api("/api/v1/instance/peers");
		expect(peers.status).toBe(200);
		const list = await peers.json();
		expectMatchesSchema("GET", "/api/v1/instance/peers", 200, list);
		const translations = await api("/api/v1/instance/translation_languages");
		const pairs = await translations.json();
		expect(pairs).toEqual({});
		const activity = await api("/api/v1/instance/activity");
		expect(activity.status).toBe(404);
	});
});

describe("rules, emojis and preferences", () => {
	it("adds rules with the CLI and lists them in order", async () => {
		const first = await cli("rule", "add", "Be kind");
		expect(first.code).toBe(0);
		expect((await cli("rule", "add", "No spam", "--hint", "Ads included")).code).toBe(0);
		expect((await cli("rule", "add", "  ")).code).toBe(2);
		const response = await api("/api/v1/instance/rules");
		const rules = (await response.json()) as { text: string; hint: string }[];
		expectMatchesSchema("GET", "/api/v1/instance/rules", 200, rules);
		const texts = rules.map((r) => r.text);
		expect(texts.indexOf("Be kind")).toBeLessThan(texts.indexOf("No spam"));
		expect(rules.find((r) => r.text === "No spam")?.hint).toBe("Ads included");
		const instance = (await (await api("/api/v2/instance")).json()) as MastodonInstance;
		expect(instance.rules.map((r) => r.text)).toContain("Be kind");
	});

	it("lists custom emojis from the table (empty until an admin adds one)", async () => {
		const response = await api("/api/v1/custom_emojis");
		expect(response.status).toBe(200);
		const body = await response.json();
		expectMatchesSchema("GET", "/api/v1/custom_emojis", 200, body);
		const png = Uint8Array.from(
			atob("iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP4z8DAAMFwFgA72AX73hA3ZQAAAABJRU5ErkJggg=="),
			(c) => c.charCodeAt(0),
		);
		const out: string[] = [];
		const code = await runCli(["emoji", "add", "tern_wave", "wave.png"], env, {
			out: (l) => out.push(l),
			err: (l) => out.push(l),
			readFile: async () => png,
		});
		expect(code, out.join("\n")).toBe(0);
		const after = (await (await api("/api/v1/custom_emojis")).json()) as { shortcode: string; url: string }[];
		expectMatchesSchema("GET", "/api/v1/custom_emojis", 200, after);
		const emoji = after.find((e) => e.shortcode === "tern_wave");
		expect(emoji).toBeDefined();
		const image = await api(new URL(emoji?.url ?? "").pathname);
		expect(image.status).toBe(200);
		expect(image.headers.get("Content-Type")).toBe("image/png");
	});

	it("answers preferences from the user's posting defaults", async () => {
		const user = await createTestUser();
		const response = await api("/api/v1/preferences", { token: user.token });
		expect(response.status).toBe(200);
		// The schema documents no body for preferences; the shape is Mastodon's documented one.
		const body = await response.json();
		expect(body).toMatchObject({ "posting:default:visibility": "public", "posting:default:sensitive": false });
		expect((await api("/api/v1/preferences")).status).toBe(401);
	});
});

describe("HEAD", () => {
	it("answers HEAD like GET, without a body", async () => {
		const response = await api("/api/v2/instance", { method: "HEAD" });
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
		expect(await response.text()).toBe("");
		expect((await api("/api/v1/nothing-here", { method: "HEAD" })).status).toBe(404);
	});
});
