// The public pages in a real browser against `npm run dev`: content, share
// meta, no console errors, and every page valid HTML by the W3C checker.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { type DevServer, ROOT } from "./dev-server";
import { hasJava, validateHtml } from "./html-validator";

// 3x2 PNG.
const PNG = Buffer.from(
	"iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP4z8DAAMFwFgA72AX73hA3ZQAAAABJRU5ErkJggg==",
	"base64",
);

/** Runs against the shared dev server and browser of browser-pages.test.ts. */
export function publicPageTests(shared: () => { server: DevServer; browser: Browser }): void {
	describe("public pages in a browser", () => {
		let server: DevServer;
		let browser: Browser;
		let token = "";
		const pages: Record<string, string> = {};
		const consoleErrors: string[] = [];
		const ids: Record<string, string> = {};

		const cli = (...args: string[]) =>
			execFileSync(process.execPath, [join(ROOT, "bin/tern.mjs"), ...args, "--state", server.state], {
				cwd: ROOT,
				encoding: "utf8",
			}).trim();

		async function apiPost(path: string, body: unknown): Promise<Record<string, unknown>> {
			const response = await fetch(`${server.url}${path}`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
				body: JSON.stringify(body),
			});
			expect(response.status, await response.clone().text()).toBe(200);
			return (await response.json()) as Record<string, unknown>;
		}

		async function visit(name: string, path: string): Promise<Page> {
			const page = await browser.newPage();
			page.on("console", (message) => {
				if (message.type() === "error") consoleErrors.push(`${path}: ${message.text()}`);
			});
			page.on("pageerror", (error) => consoleErrors.push(`${path}: ${error.message}`));
			const response = await page.goto(`${server.url}${path}`);
			expect(response?.status(), path).toBe(200);
			pages[name] = (await response?.text()) ?? "";
			return page;
		}

		const meta = (page: Page, property: string) =>
			page.locator(`meta[property="${property}"], meta[name="${property}"]`).first().getAttribute("content");

		beforeAll(async () => {
			({ server, browser } = shared());
			cli(
				"user",
				"create",
				"tern",
				"--email",
				"tern@browser.example",
				"--password",
				"a long enough password",
				"--admin",
			);
			cli("rule", "add", "Be kind to seabirds");
			token = cli("token", "create", "tern").split(/\s+/).at(-1) as string;
			const form = new FormData();
			form.append("file", new Blob([PNG], { type: "image/png" }), "tern.png");
			form.append("description", "A tern diving into the sea");
			const upload = await fetch(`${server.url}/api/v1/media`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}` },
				body: form,
			});
			const media = (await upload.json()) as { id: string };
			ids.media = (await apiPost("/api/v1/statuses", { status: "Fishing today #seabirds", media_ids: [media.id] }))
				.id as string;
			ids.cw = (
				await apiPost("/api/v1/statuses", {
					status: "Which tern is the fastest?",
					spoiler_text: "bird opinions",
					poll: { options: ["Arctic", "Sandwich", "Little"], expires_in: 86400 },
				})
			).id as string;
			await fetch(`${server.url}/api/v1/statuses/${ids.media}/pin`, {
				method: "POST",
				headers: { Authorization: `Bearer ${token}` },
			});
		}, 300_000);

		it("shows the landing page with the rules, the join buttons and recent posts", async () => {
			const page = await visit("landing", "/");
			await expect(page.locator("h1").textContent()).resolves.toContain("Tern");
			expect(await page.locator("body").textContent()).toContain("Be kind to seabirds");
			expect(await page.locator("body").textContent()).toContain("Fishing today");
			expect(await page.locator('a[href="/auth/sign_in"]').count()).toBeGreaterThan(0);
			expect(await meta(page, "og:title")).toBeTruthy();
		});

		it("shows the about page and the privacy policy", async () => {
			const about = await visit("about", "/about");
			expect(await about.locator("body").textContent()).toContain("Be kind to seabirds");
			await about.locator('a[href="/privacy-policy"]').first().click();
			await about.waitForURL(/privacy-policy/);
			expect(await about.locator("h1").textContent()).toBe("Privacy policy");
			await visit("privacy", "/privacy-policy");
		});

		it("shows a profile with its posts, media descriptions and share meta", async () => {
			const page = await visit("profile", "/@tern");
			expect(await page.locator(".profile h1").textContent()).toContain("tern");
			expect(await page.locator('img[alt="A tern diving into the sea"]').count()).toBe(1);
			expect(await page.locator("article.post").count()).toBe(2);
			expect(await page.locator("body").textContent()).toContain("Pinned");
			expect(await meta(page, "og:type")).toBe("profile");
			expect(
				await page.locator('link[rel="alternate"][type="application/activity+json"]').getAttribute("href"),
			).toMatch(/\/users\/tern$/);
			expect(await page.locator('form[action="/remote_interaction"]').count()).toBe(1);
		});

		it("shows a post with its content warning collapsed and its poll, and preview meta that keep the warning", async () => {
			const page = await visit("post", `/@tern/${ids.cw}`);
			const details = page.locator("article.focus details.cw");
			expect(await details.getAttribute("open")).toBeNull();
			expect(await page.locator("article.focus .content").isVisible()).toBe(false);
			await details.locator("summary").click();
			expect(await page.locator("article.focus .content").isVisible()).toBe(true);
			expect(await page.locator("article.focus .poll li").count()).toBe(3);
			expect(await meta(page, "og:description")).toBe("Content warning: bird opinions");
			expect(await meta(page, "og:type")).toBe("article");
			expect(await meta(page, "fediverse:creator")).toMatch(/^tern@localhost:\d+$/);
			expect(await meta(page, "twitter:card")).toBeTruthy();
			expect(
				await page.locator('link[rel="alternate"][type="application/activity+json"]').getAttribute("href"),
			).toContain(ids.cw);
			const media = await visit("media-post", `/@tern/${ids.media}`);
			expect(await meta(media, "og:image")).toMatch(/\/media\//);
		});

		it("shows a hashtag page and its feed", async () => {
			const page = await visit("tag", "/tags/seabirds");
			expect(await page.locator("h1").textContent()).toBe("#seabirds");
			expect(await page.locator("article.post").count()).toBe(1);
			const feed = await fetch(`${server.url}/tags/seabirds.rss`);
			expect(feed.headers.get("content-type")).toContain("application/rss+xml");
			const account = await (await fetch(`${server.url}/@tern.rss`)).text();
			expect(account).toContain("<rss");
			expect(account).toContain("Fishing today");
			expect(account).toContain('media:content url="');
		});

		it("serves only valid HTML, and no page logged an error", async () => {
			expect(consoleErrors).toEqual([]);
			if (!hasJava) return;
			const errors = await validateHtml(pages);
			expect(errors).toEqual([]);
		});
	});
}
