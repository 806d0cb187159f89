import { afterEach, describe, expect, it, vi } from "vitest";
import gargron from "../fixtures/activitypub/mastodon__actor__person-gargron.json";
import { expectMatchesSchema } from "../helpers/openapi";
import { api, createTestUser } from "../helpers/users";

afterEach(() => {
	vi.restoreAllMocks();
});

/** A remote server that knows one account, answering WebFinger and its actor document. */
function remoteServer(username: string, domain: string) {
	const actorUrl = `https://${domain}/users/${username}`;
	const actor = {
		...gargron,
		id: actorUrl,
		preferredUsername: username,
		inbox: `${actorUrl}/inbox`,
		publicKey: undefined,
	};
	return vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
		const url = new URL(new Request(input, init).url);
		if (url.pathname === "/.well-known/webfinger" && url.host === domain) {
			if (url.searchParams.get("resource") !== `acct:${username}@${domain}`) return new Response("", { status: 404 });
			return Response.json(
				{
					subject: `acct:${username}@${domain}`,
					links: [{ rel: "self", type: "application/activity+json", href: actorUrl }],
				},
				{ headers: { "Content-Type": "application/jrd+json" } },
			);
		}
		if (url.href === actorUrl) {
			return new Response(JSON.stringify(actor), { headers: { "Content-Type": "application/activity+json" } });
		}
		return new Response("not found", { status: 404 });
	});
}

describe("search with resolve=true", () => {
	it("looks up an unknown remote handle through WebFinger and returns the account", async () => {
		const user = await createTestUser();
		const domain = `resolve${Date.now().toString(36)}.example`;
		const fetch = remoteServer("birder", domain);
		const response = await api(`/api/v2/search?q=@birder@${domain}&resolve=true&type=accounts`, { token: user.token });
		expect(response.status).toBe(200);
		const body = (await response.json()) as { accounts: { acct: string; uri: string }[] };
		expectMatchesSchema("GET", "/api/v2/search", 200, body);
		expect(body.accounts[0]).toMatchObject({ acct: `birder@${domain}`, uri: `https://${domain}/users/birder` });
		expect(fetch).toHaveBeenCalled();
	});

	it("does not reach out without resolve, and finds nothing unknown", async () => {
		const user = await createTestUser();
		const fetch = remoteServer("birder", "quiet.example");
		const response = await api("/api/v2/search?q=birder@quiet.example&type=accounts", { token: user.token });
		expect(((await response.json()) as { accounts: unknown[] }).accounts).toEqual([]);
		expect(fetch).not.toHaveBeenCalled();
	});

	it("resolves in /api/v1/accounts/search too", async () => {
		const user = await createTestUser();
		const domain = `v1resolve${Date.now().toString(36)}.example`;
		remoteServer("owl", domain);
		const response = await api(`/api/v1/accounts/search?q=owl@${domain}&resolve=true`, { token: user.token });
		expect(response.status).toBe(200);
		expect(((await response.json()) as { acct: string }[]).map((a) => a.acct)).toEqual([`owl@${domain}`]);
	});

	it("answers normally when the remote server cannot be reached", async () => {
		const user = await createTestUser();
		vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("network down"));
		const response = await api("/api/v2/search?q=ghost@down.example&resolve=true", { token: user.token });
		expect(response.status).toBe(200);
		expect(((await response.json()) as { accounts: unknown[] }).accounts).toEqual([]);
	});
});
