import { describe, expect, it } from "vitest";
import { api, createTestUser } from "../helpers/users";
import { insertStatus } from "./helpers";

describe("WebFinger", () => {
	it("answers acct: and actor URL resources", async () => {
		const { account } = await createTestUser();
		for (const resource of [
			`acct:${account.username}@tern.test`,
			account.uri,
			`https://tern.test/@${account.username}`,
		]) {
			const response = await api(`/.well-known/webfinger?resource=${encodeURIComponent(resource)}`);
			expect(response.status).toBe(200);
			expect(response.headers.get("content-type")).toContain("application/jrd+json");
			expect(response.headers.get("access-control-allow-origin")).toBe("*");
			const body = (await response.json()) as { subject: string; aliases: string[]; links: Record<string, string>[] };
			expect(body.subject).toBe(`acct:${account.username}@tern.test`);
			expect(body.aliases).toContain(account.uri);
			expect(body.links).toContainEqual({ rel: "self", type: "application/activity+json", href: account.uri });
			expect(body.links).toContainEqual({
				rel: "http://webfinger.net/rel/profile-page",
				type: "text/html",
				href: `https://tern.test/@${account.username}`,
			});
			expect(body.links.find((l) => l.rel === "http://ostatus.org/schema/1.0/subscribe")?.template).toBe(
				"https://tern.test/authorize_interaction?uri={uri}",
			);
		}
	});

	it("is case-insensitive on the username", async () => {
		const { account } = await createTestUser();
		const response = await api(`/.well-known/webfinger?resource=acct:${account.username.toUpperCase()}@tern.test`);
		expect(response.status).toBe(200);
	});

	it("answers 400 without resource and 404 for unknown or foreign accounts", async () => {
		const missing = await api("/.well-known/webfinger");
		expect(missing.status).toBe(400);
		expect(await missing.json()).toHaveProperty("error");
		expect((await api("/.well-known/webfinger?resource=acct:nobody-here@tern.test")).status).toBe(404);
		const { account } = await createTestUser();
		expect((await api(`/.well-known/webfinger?resource=acct:${account.username}@elsewhere.example`)).status).toBe(404);
		expect((await api("/.well-known/webfinger?resource=https://elsewhere.example/users/x")).status).toBe(404);
	});

	it("finds the instance actor", async () => {
		await api("/actor");
		const response = await api("/.well-known/webfinger?resource=acct:tern.test@tern.test");
		expect(response.status).toBe(200);
		const body = (await response.json()) as { links: Record<string, string>[] };
		expect(body.links).toContainEqual({
			rel: "self",
			type: "application/activity+json",
			href: "https://tern.test/actor",
		});
	});

	it("serves the subscribe page", async () => {
		const response = await api("/authorize_interaction?uri=https%3A%2F%2Fa.example%2F%3Cb%3E");
		expect(response.status).toBe(200);
		expect(await response.text()).toContain("https://a.example/&lt;b&gt;");
		expect((await api("/authorize_interaction")).status).toBe(400);
	});
});

describe("host-meta", () => {
	it("serves XML and JSON pointing at WebFinger", async () => {
		const xml = await api("/.well-known/host-meta");
		expect(xml.headers.get("content-type")).toContain("application/xrd+xml");
		expect(await xml.text()).toContain('template="https://tern.test/.well-known/webfinger?resource={uri}"');
		const json = await api("/.well-known/host-meta.json");
		expect(await json.json()).toEqual({
			links: [{ rel: "lrdd", template: "https://tern.test/.well-known/webfinger?resource={uri}" }],
		});
	});
});

describe("NodeInfo", () => {
	it("links both schema versions", async () => {
		const body = (await (await api("/.well-known/nodeinfo")).json()) as { links: { rel: string; href: string }[] };
		expect(body.links).toEqual([
			{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.0", href: "https://tern.test/nodeinfo/2.0" },
			{ rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", href: "https://tern.test/nodeinfo/2.1" },
		]);
	});

	it("reports real counts", async () => {
		const read = async (version: string) => {
			const response = await api(`/nodeinfo/${version}`);
			expect(response.status).toBe(200);
			expect(response.headers.get("content-type")).toContain(`schema/${version}#`);
			return (await response.json()) as {
				version: string;
				software: { name: string; version: string };
				protocols: string[];
				openRegistrations: boolean;
				usage: { users: { total: number; activeMonth: number; activeHalfyear: number }; localPosts: number };
			};
		};
		const before = await read("2.0");
		expect(before.software).toEqual({ name: "tern", version: "0.1.0" });
		expect(before.protocols).toEqual(["activitypub"]);
		expect(before.openRegistrations).toBe(true);
		const { account } = await createTestUser();
		await insertStatus(account);
		await insertStatus(account, { visibility: "private" });
		const after = await read("2.1");
		expect(after.version).toBe("2.1");
		expect(after.usage.users.total).toBe(before.usage.users.total + 1);
		expect(after.usage.localPosts).toBe(before.usage.localPosts + 2);
		expect((await api("/nodeinfo/3.0")).status).toBe(404);
	});
});
