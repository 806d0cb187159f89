import { describe, expect, it } from "vitest";
import { announcements, customEmojis } from "../../src/db/schema";
import { ValidationError } from "../../src/lib/errors";
import { newId } from "../../src/lib/ids";
import { addAnnouncement } from "../../src/services/instance/announcements";
import { countD1 } from "../helpers/d1-counter";
import { expectMatchesSchema } from "../helpers/openapi";
import { post } from "../helpers/posts";
import { getJson } from "../helpers/statuses";
import { api, createTestUser, db, type TestUser } from "../helpers/users";

interface ReactionJson {
	name: string;
	count: number;
	me?: boolean;
	url?: string;
	static_url?: string;
}

interface AnnouncementJson {
	id: string;
	content: string;
	starts_at: string | null;
	ends_at: string | null;
	all_day: boolean;
	published_at: string;
	read?: boolean;
	mentions: { id: string; username: string; acct: string; url: string }[];
	statuses: { id: string; url: string }[];
	tags: { name: string; url: string }[];
	emojis: { shortcode: string }[];
	reactions: ReactionJson[];
}

const HOUR = 3_600_000;

async function insertAnnouncement(
	text: string,
	options: { startsAt?: Date | null; endsAt?: Date | null; published?: boolean } = {},
): Promise<string> {
	const id = newId();
	const now = new Date();
	await db()
		.insert(announcements)
		.values({
			id,
			text,
			published: options.published ?? true,
			publishedAt: now,
			startsAt: options.startsAt ?? null,
			endsAt: options.endsAt ?? null,
			allDay: false,
			createdAt: now,
			updatedAt: now,
		});
	return id;
}

async function list(user: TestUser): Promise<AnnouncementJson[]> {
	const { status, body } = await getJson<AnnouncementJson[]>("/api/v1/announcements", user.token);
	expect(status).toBe(200);
	expectMatchesSchema("GET", "/api/v1/announcements", 200, body);
	return body;
}

async function find(user: TestUser, id: string): Promise<AnnouncementJson | undefined> {
	return (await list(user)).find((a) => a.id === id);
}

const react = (user: TestUser, id: string, name: string, method = "PUT") =>
	api(`/api/v1/announcements/${id}/reactions/${encodeURIComponent(name)}`, { method, token: user.token });

let n = 0;
const unique = () => `ann${Date.now().toString(36)}${++n}`;

describe("announcements", () => {
	it("renders the text like a post, with its mentions, tags, linked posts and emojis", async () => {
		const alice = await createTestUser();
		const reader = await createTestUser();
		const status = await post(alice.account, "a public post");
		const hidden = await post(alice.account, "a private post", "private");
		const shortcode = unique();
		await db()
			.insert(customEmojis)
			.values({
				id: newId(),
				shortcode,
				fileKey: `emojis/x/${shortcode}.png`,
				contentType: "image/png",
				createdAt: new Date(),
			});
		const tag = unique();
		const announcement = await addAnnouncement(db(), {
			text: `Welcome! Ask @${alice.account.username} or @nobody_known about #${tag} :${shortcode}:\n\nSee ${status.url} and ${hidden.url}`,
		});
		const shown = await find(reader, announcement.id);
		expect(shown).toMatchObject({
			starts_at: null,
			ends_at: null,
			all_day: false,
			read: false,
			published_at: announcement.publishedAt?.toISOString(),
			mentions: [
				{
					id: alice.account.id,
					username: alice.account.username,
					acct: alice.account.username,
					url: `https://tern.test/@${alice.account.username}`,
				},
			],
			tags: [{ name: tag, url: `https://tern.test/tags/${tag}` }],
			emojis: [{ shortcode }],
			statuses: [{ id: status.id, url: status.url }],
			reactions: [],
		});
		expect(shown?.content).toMatch(/^<p>Welcome! Ask <span class="h-card"/);
		expect(shown?.content).toContain(`class="mention hashtag" rel="tag">#<span>${tag}</span></a>`);
		expect(shown?.content).toContain("@nobody_known");
		expect(shown?.content).toContain(`:${shortcode}:</p><p>See <a href=`);
	});

	it("shows only published announcements whose window holds now, in chronological order", async () => {
		const user = await createTestUser();
		const now = Date.now();
		const open = await insertAnnouncement("no window");
		const current = await insertAnnouncement("current", {
			startsAt: new Date(now - 2 * HOUR),
			endsAt: new Date(now + HOUR),
		});
		const future = await insertAnnouncement("later", {
			startsAt: new Date(now + HOUR),
			endsAt: new Date(now + 2 * HOUR),
		});
		const ended = await insertAnnouncement("over", {
			startsAt: new Date(now - 2 * HOUR),
			endsAt: new Date(now - HOUR),
		});
		const draft = await insertAnnouncement("draft", { published: false });
		const ids = (await list(user)).map((a) => a.id);
		expect(ids).toContain(open);
		expect(ids).toContain(current);
		for (const id of [future, ended, draft]) expect(ids).not.toContain(id);
		// Ordered by start (or publication): the one that started two hours ago comes first.
		expect(ids.indexOf(current)).toBeLessThan(ids.indexOf(open));
		for (const id of [future, ended, draft]) {
			const response = await api(`/api/v1/announcements/${id}/dismiss`, { method: "POST", token: user.token });
			expect(response.status).toBe(404);
		}
	});

	it("needs a user's token", async () => {
		expect((await api("/api/v1/announcements")).status).toBe(401);
		const limited = await createTestUser({ scopes: "write:statuses" });
		// As in Mastodon, any scope reads announcements.
		expect((await api("/api/v1/announcements", { token: limited.token })).status).toBe(200);
	});

	it("dismisses an announcement for one user only", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const id = await insertAnnouncement("please read");
		const path = `/api/v1/announcements/${id}/dismiss`;
		const reader = await createTestUser({ scopes: "read" });
		expect((await api(path, { method: "POST", token: reader.token })).status).toBe(403);
		const dismissed = await api(path, { method: "POST", token: alice.token });
		expect(dismissed.status).toBe(200);
		expect(await dismissed.json()).toEqual({});
		expect((await api(path, { method: "POST", token: alice.token })).status).toBe(200);
		expect((await find(alice, id))?.read).toBe(true);
		expect((await find(bob, id))?.read).toBe(false);
		const unknown = await api("/api/v1/announcements/123456789012345678/dismiss", {
			method: "POST",
			token: alice.token,
		});
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toEqual({ error: "Record not found" });
	});

	it("counts reactions, marks one's own, and removes them", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const id = await insertAnnouncement("react to me");
		const shortcode = unique();
		await db()
			.insert(customEmojis)
			.values({
				id: newId(),
				shortcode,
				fileKey: `emojis/y/${shortcode}.png`,
				contentType: "image/png",
				createdAt: new Date(),
			});
		for (const [user, name] of [
			[alice, "👍"],
			[bob, "👍"],
			[bob, shortcode],
			[alice, "👍"],
		] as const) {
			const response = await react(user, id, name);
			expect(response.status, name).toBe(200);
			expect(await response.json()).toEqual({});
		}
		expect((await find(alice, id))?.reactions).toEqual([
			{ name: "👍", count: 2, me: true },
			{
				name: shortcode,
				count: 1,
				me: false,
				url: `https://tern.test/media/emojis/y/${shortcode}.png`,
				static_url: `https://tern.test/media/emojis/y/${shortcode}.png`,
			},
		]);
		expect((await find(bob, id))?.reactions.map((r) => r.me)).toEqual([true, true]);

		expect((await react(alice, id, "👍", "DELETE")).status).toBe(200);
		expect((await react(alice, id, "👍", "DELETE")).status).toBe(404);
		expect((await react(alice, id, shortcode, "DELETE")).status).toBe(404);
		expect((await find(alice, id))?.reactions[0]).toEqual({ name: "👍", count: 1, me: false });
		expect((await react(bob, id, "👍", "DELETE")).status).toBe(200);
		expect((await find(alice, id))?.reactions.map((r) => r.name)).toEqual([shortcode]);
	});

	it("refuses unknown emojis, a ninth kind, missing scopes and unknown announcements", async () => {
		const alice = await createTestUser();
		const id = await insertAnnouncement("limits");
		for (const name of ["notanemoji", "a", "👍👍"]) {
			const response = await react(alice, id, name);
			expect(response.status, name).toBe(422);
			expect(await response.json()).toMatchObject({ error: "Validation failed: Name is not a recognized emoji" });
		}
		const kinds = ["😀", "🎉", "❤️", "🇫🇷", "👍🏽", "🔥", "✨", "🙂"];
		for (const name of kinds) expect((await react(alice, id, name)).status, name).toBe(200);
		const ninth = await react(alice, id, "🐘");
		expect(ninth.status).toBe(422);
		expect(await ninth.json()).toMatchObject({ error: "Validation failed: Limit of different reactions reached" });
		// Reacting with a kind already there is still fine.
		const bob = await createTestUser();
		expect((await react(bob, id, "🎉")).status).toBe(200);
		expect((await find(alice, id))?.reactions).toHaveLength(8);

		const reader = await createTestUser({ scopes: "read write:accounts" });
		expect((await react(reader, id, "🎉")).status).toBe(403);
		expect((await react(alice, "123456789012345678", "🎉")).status).toBe(404);
		expect((await react(alice, "123456789012345678", "🎉", "DELETE")).status).toBe(404);
	});

	it("lists many announcements with reactions within ten D1 round trips", async () => {
		const users = [await createTestUser(), await createTestUser()];
		for (let i = 0; i < 6; i++) {
			const id = await insertAnnouncement(`notice ${i} for @${users[0]?.account.username} #tag${i}`);
			for (const user of users) await react(user, id, i % 2 ? "🎉" : "👍");
		}
		const request = new Request("https://tern.test/api/v1/announcements", {
			headers: { Authorization: `Bearer ${users[0]?.token}` },
		});
		const { response, counts } = await countD1(request);
		expect(response.status).toBe(200);
		expect(counts.roundTrips).toBeLessThanOrEqual(10);
		console.log(`GET /api/v1/announcements: ${counts.roundTrips} round trips, ${counts.statements} statements`);
	});

	it("validates what the admin enters", async () => {
		const now = Date.now();
		const cases: [Parameters<typeof addAnnouncement>[1], string][] = [
			[{ text: "  " }, "Text can't be blank"],
			[{ text: "x", startsAt: new Date(now) }, "Starts and ends must be given together"],
			[{ text: "x", endsAt: new Date(now) }, "Starts and ends must be given together"],
			[{ text: "x", startsAt: new Date(now), endsAt: new Date(now - HOUR) }, "Ends must be after starts"],
			[{ text: "x", allDay: true }, "All day needs starts and ends"],
		];
		for (const [input, message] of cases) {
			await expect(addAnnouncement(db(), input)).rejects.toThrow(message);
			await expect(addAnnouncement(db(), input)).rejects.toBeInstanceOf(ValidationError);
		}
	});
});
