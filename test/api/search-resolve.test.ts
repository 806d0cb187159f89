import { afterEach, describe, expect, it, vi } from "vitest";
import gargron from "../fixtures/activitypub/mastodon__actor__person-gargron.json";
import { fakeActor, serveFediverse } from "../helpers/fediverse";
import { note } from "../helpers/fediverse-posts";
import { expectMatchesSchema } from "../helpers/openapi";
import { postJson } from "../helpers/statuses";
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

describe("search with resolve=true for URLs", () => {
	interface Found {
		accounts: { id: string; acct: string }[];
		statuses: { id: string; uri: string; content: string; account: { acct: string } }[];
	}

	async function searchUrl(url: string, token: string, extra = "&resolve=true"): Promise<Found> {
		const response = await api(`/api/v2/search?q=${encodeURIComponent(url)}${extra}`, { token });
		expect(response.status).toBe(200);
		const body = (await response.json()) as Found;
		expectMatchesSchema("GET", "/api/v2/search", 200, body);
		return body;
	}

	it("fetches a remote status by its id or URL, stores it as the inbox would, and returns it", async () => {
		const user = await createTestUser();
		const peer = await fakeActor();
		const url = `https://${peer.domain}/@bob/1`;
		const object = { ...note(peer, { content: "<p>fetched by search</p>" }), url };
		const served = serveFediverse({ [peer.uri]: peer.document, [object.id]: object, [url]: object });
		const body = await searchUrl(url, user.token);
		expect(body.statuses).toHaveLength(1);
		expect(body.statuses[0]).toMatchObject({ uri: object.id, account: { acct: `bob@${peer.domain}` } });
		expect(body.statuses[0]?.content).toContain("fetched by search");
		expect(body.accounts).toEqual([]);
		expect(served.posts).toEqual([]);
		// Stored now: found again without asking the peer, by either address.
		const fetch = vi.mocked(globalThis.fetch);
		fetch.mockClear();
		expect((await searchUrl(object.id, user.token)).statuses.map((s) => s.id)).toEqual([body.statuses[0]?.id]);
		expect(fetch).not.toHaveBeenCalled();
		// Only statuses were asked for: the status is not an account.
		expect((await searchUrl(url, user.token, "&resolve=true&type=accounts")).statuses).toEqual([]);
	});

	it("does not show a fetched followers-only post to someone who does not follow its author", async () => {
		const user = await createTestUser();
		const peer = await fakeActor();
		const object = note(peer, { content: "<p>for followers</p>", to: [`${peer.uri}/followers`], cc: [] });
		serveFediverse({ [peer.uri]: peer.document, [object.id]: object });
		const body = await searchUrl(object.id, user.token);
		expect(body.statuses).toEqual([]);
	});

	it("resolves an actor URL to the account", async () => {
		const user = await createTestUser();
		const peer = await fakeActor();
		serveFediverse({ [peer.uri]: peer.document });
		const body = await searchUrl(peer.uri, user.token);
		expect(body.accounts.map((a) => a.acct)).toEqual([`bob@${peer.domain}`]);
		expect(body.statuses).toEqual([]);
	});

	it("answers local URLs without the network, and never with a post the viewer may not see", async () => {
		const alice = await createTestUser();
		const bob = await createTestUser();
		const fetch = vi.spyOn(globalThis, "fetch");
		const open = (await postJson("/api/v1/statuses", alice.token, { status: "local and open" }).then((r) =>
			r.json(),
		)) as { id: string; url: string; uri: string };
		const hidden = (await postJson("/api/v1/statuses", alice.token, {
			status: "local and private",
			visibility: "private",
		}).then((r) => r.json())) as { id: string; url: string };
		expect((await searchUrl(open.url, bob.token)).statuses.map((s) => s.id)).toEqual([open.id]);
		expect((await searchUrl(open.uri, bob.token)).statuses.map((s) => s.id)).toEqual([open.id]);
		expect((await searchUrl(hidden.url, bob.token)).statuses).toEqual([]);
		expect((await searchUrl(hidden.url, alice.token)).statuses.map((s) => s.id)).toEqual([hidden.id]);
		const origin = new URL(open.url).origin;
		expect((await searchUrl(`${origin}/@${alice.account.username}`, bob.token)).accounts.map((a) => a.id)).toEqual([
			alice.account.id,
		]);
		expect(fetch).not.toHaveBeenCalled();
	});

	it("fetches nothing without resolve or without a user", async () => {
		const user = await createTestUser();
		const peer = await fakeActor();
		const object = note(peer);
		serveFediverse({ [peer.uri]: peer.document, [object.id]: object });
		const fetch = vi.mocked(globalThis.fetch);
		expect((await searchUrl(object.id, user.token, "")).statuses).toEqual([]);
		expect(fetch).not.toHaveBeenCalled();
		const anonymous = await api(`/api/v2/search?q=${encodeURIComponent(object.id)}&resolve=true`);
		expect(anonymous.status).toBe(401);
	});

	it("answers normally when the URL cannot be fetched", async () => {
		const user = await createTestUser();
		serveFediverse({});
		const body = await searchUrl("https://gone.example/users/nobody/statuses/1", user.token);
		expect(body).toMatchObject({ accounts: [], statuses: [] });
	});
});
