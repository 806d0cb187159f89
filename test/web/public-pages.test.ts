import { beforeEach, describe, expect, it } from "vitest";
import { writeInstanceSettings } from "../../src/services/instance/settings";
import { postStatus, uploadedMedia } from "../helpers/statuses";
import { api, createTestUser, db, markSetUpDone } from "../helpers/users";

async function page(path: string, init: RequestInit = {}) {
	const response = await api(path, { headers: { Accept: "text/html" }, ...init });
	return { response, text: await response.text() };
}

describe("public pages", () => {
	// Until setup is done, `/` leads to /setup instead.
	beforeEach(markSetUpDone);

	it("renders the landing page with recent local posts", async () => {
		const user = await createTestUser();
		await postStatus(user, { status: "landing page hello" });
		const { response, text } = await page("/");
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toContain("text/html");
		expect(text).toContain("Tern Test");
		expect(text).toContain("landing page hello");
		expect(text).toContain('href="/auth/sign_up"');
		expect(text).toContain('property="og:title"');
	});

	it("answers 304 for a copy that is still current, and a changed page after a post", async () => {
		const user = await createTestUser();
		const first = await page("/");
		const etag = first.response.headers.get("ETag") as string;
		expect(etag).toMatch(/^W\//);
		const again = await api("/", { headers: { "If-None-Match": etag } });
		expect(again.status).toBe(304);
		await postStatus(user, { status: "a newer post" });
		const changed = await page("/", { headers: { "If-None-Match": etag } });
		expect(changed.response.status).toBe(200);
		expect(changed.text).toContain("a newer post");
	});

	it("shows the about page and the default privacy policy, then the admin's", async () => {
		const about = await page("/about");
		expect(about.response.status).toBe(200);
		expect(about.text).toContain("privacy policy");
		const before = await page("/privacy-policy");
		expect(before.text).toContain("What this server keeps");
		await writeInstanceSettings(db(), { privacyPolicy: "# Our policy\n\nWe keep **little**." });
		const after = await page("/privacy-policy");
		expect(after.text).toContain("<strong>little</strong>");
		await writeInstanceSettings(db(), { privacyPolicy: "" });
	});

	it("renders a profile with posts, media descriptions, a feed and the ActivityPub link", async () => {
		const user = await createTestUser();
		const media = await uploadedMedia(user, "a tern over the sea");
		await postStatus(user, { status: "profile post #terns", media_ids: [media] });
		const { response, text } = await page(`/@${user.account.username}`);
		expect(response.status).toBe(200);
		expect(text).toContain("profile post");
		expect(text).toContain('alt="a tern over the sea"');
		expect(text).toContain('type="application/activity+json"');
		expect(text).toContain('name="fediverse:creator"');
		const feed = await api(`/@${user.account.username}.rss`);
		expect(feed.headers.get("Content-Type")).toContain("application/rss+xml");
		const xml = await feed.text();
		expect(xml).toContain("<rss");
		expect(xml).toContain("profile post");
		const json = await api(`/@${user.account.username}`, { headers: { Accept: "application/activity+json" } });
		expect(json.headers.get("Content-Type")).toContain("application/activity+json");
	});

	it("renders a post with its content warning collapsed, its poll and OpenGraph meta", async () => {
		const user = await createTestUser();
		const status = await postStatus(user, {
			status: "behind the warning",
			spoiler_text: "birds",
			poll: { options: ["yes", "no"], expires_in: 3600 },
		});
		const { response, text } = await page(`/@${user.account.username}/${status.id}`);
		expect(response.status).toBe(200);
		expect(text).toMatch(/<details class="cw"><summary>birds/);
		expect(text).toContain("behind the warning");
		expect(text).toContain('class="poll"');
		expect(text).toContain('content="Content warning: birds"');
		expect(text).not.toMatch(/og:description" content="[^"]*behind the warning/);
	});

	it("hides private posts and unknown accounts", async () => {
		const user = await createTestUser();
		const hidden = await postStatus(user, { status: "followers only", visibility: "private" });
		expect((await page(`/@${user.account.username}/${hidden.id}`)).response.status).toBe(404);
		expect((await page("/@nobody-here")).response.status).toBe(404);
		const profile = await page(`/@${user.account.username}`);
		expect(profile.text).not.toContain("followers only");
	});

	it("lists local public posts by tag, with a feed", async () => {
		const user = await createTestUser();
		await postStatus(user, { status: "about #Seabirds today" });
		const { response, text } = await page("/tags/seabirds");
		expect(response.status).toBe(200);
		expect(text).toContain("Seabirds</span></a> today");
		const feed = await (await api("/tags/seabirds.rss")).text();
		expect(feed).toContain("<category>seabirds</category>");
	});

	it("lists members who opted out of search engines in robots.txt", async () => {
		const user = await createTestUser();
		const before = await (await api("/robots.txt")).text();
		expect(before).not.toContain(`/@${user.account.username}$`);
		const response = await api("/api/v1/accounts/update_credentials", {
			method: "PATCH",
			token: user.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ noindex: true }),
		});
		expect(response.status).toBe(200);
		const after = await (await api("/robots.txt")).text();
		expect(after).toContain(`Disallow: /@${user.account.username}$`);
		const profile = await page(`/@${user.account.username}`);
		expect(profile.text).toContain('<meta name="robots" content="noindex, noarchive">');
	});

	it("serves a favicon and a web manifest from the instance's settings", async () => {
		const icon = await api("/favicon.svg");
		expect(icon.headers.get("Content-Type")).toBe("image/svg+xml");
		const manifest = (await (await api("/manifest.webmanifest")).json()) as { name: string };
		expect(manifest.name).toBe("Tern Test");
	});
});
