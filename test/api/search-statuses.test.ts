import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type Account, accounts, statuses } from "../../src/db/schema";
import { createRemoteStatus } from "../../src/federation/ingest/statuses";
import { parseObject } from "../../src/federation/parse";
import { newId } from "../../src/lib/ids";
import { backfillSearchPage } from "../../src/services/search/backfill";
import { countD1 } from "../helpers/d1-counter";
import { deliverToInbox, fakeActor, storeActor } from "../helpers/fediverse";
import { create, followedPeer, note, statusByUri } from "../helpers/fediverse-posts";
import { expectMatchesSchema } from "../helpers/openapi";
import { follow, postJson, postStatus, uploadedMedia } from "../helpers/statuses";
import { api, config, createTestUser, db, type TestUser } from "../helpers/users";

interface SearchJson {
	accounts: { id: string }[];
	statuses: { id: string; content: string }[];
	hashtags: { name: string }[];
}

let words = 0;
/** A word no other test uses, so files sharing the database do not see each other's posts. */
function unique(): string {
	words++;
	return `zq${Date.now().toString(36)}x${words}`;
}

async function search(query: string, user?: TestUser): Promise<{ status: number; body: SearchJson }> {
	const response = await api(`/api/v2/search?${query}`, user ? { token: user.token } : {});
	const body = (await response.json()) as SearchJson;
	if (response.status === 200) expectMatchesSchema("GET", "/api/v2/search", 200, body);
	return { status: response.status, body };
}

async function found(q: string, user: TestUser, extra = ""): Promise<string[]> {
	const { status, body } = await search(`type=statuses&q=${encodeURIComponent(q)}${extra}`, user);
	expect(status).toBe(200);
	return body.statuses.map((s) => s.id);
}

async function setIndexable(account: Account, indexable = true): Promise<void> {
	await db().update(accounts).set({ indexable }).where(eq(accounts.id, account.id));
}

async function indexableUser(): Promise<TestUser> {
	const user = await createTestUser();
	await setIndexable(user.account);
	return user;
}

async function remotePost(author: Account, peerUri: string, content: string, extra: Record<string, unknown> = {}) {
	const object = parseObject(note({ uri: peerUri } as never, { content, ...extra }));
	if (object.kind !== "post") throw new Error("not a post");
	return createRemoteStatus({ env, db: db(), config: config() }, author, object);
}

describe("full-text status search", () => {
	it("matches every word, whatever the case and accents", async () => {
		const word = unique();
		const alice = await indexableUser();
		const bob = await createTestUser();
		const dessert = await postStatus(alice, { status: `Crème brûlée at the Café ${word}` });
		await postStatus(alice, { status: `Plain pudding ${word}` });
		expect(await found(`CREME Brulee ${word}`, bob)).toEqual([dessert.id]);
		expect(await found(`café ${word}`, bob)).toEqual([dessert.id]);
		expect(await found(`creme ${word} pudding`, bob)).toEqual([]);
		expect(await found(`${word} -pudding`, bob)).toEqual([dessert.id]);
		// Without a type, statuses come with accounts and hashtags.
		const all = await search(`q=${encodeURIComponent(`brulee ${word}`)}`, bob);
		expect(all.body.statuses.map((s) => s.id)).toEqual([dessert.id]);
	});

	it("finds phrases in order, hashtags, and Han or kana text by any part of it", async () => {
		const word = unique();
		const alice = await indexableUser();
		const bob = await createTestUser();
		const sea = await postStatus(alice, { status: `the sea bird ${word} #Seabirds${word}` });
		const bird = await postStatus(alice, { status: `a bird by the sea ${word}` });
		const tokyo = await postStatus(alice, { status: `東京タワーに行きました ${word}` });
		expect(await found(`"sea bird" ${word}`, bob)).toEqual([sea.id]);
		expect(await found(`sea bird ${word}`, bob)).toEqual([bird.id, sea.id]);
		expect(await found(`#seabirds${word}`, bob)).toEqual([sea.id]);
		expect(await found(`#seabirds${word} bird`, bob)).toEqual([sea.id]);
		expect(await found(`タワー ${word}`, bob)).toEqual([tokyo.id]);
		expect(await found(`行き ${word}`, bob)).toEqual([tokyo.id]);
		expect(await found(`行 ${word}`, bob)).toEqual([tokyo.id]);
		expect(await found(`京都 ${word}`, bob)).toEqual([]);
	});

	it("finds only what the viewer may: own posts, interactions, and public posts of indexable accounts", async () => {
		const word = unique();
		const quiet = await createTestUser();
		const open = await indexableUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		await follow(bob, open);
		const quietPost = await postStatus(quiet, { status: `not indexable ${word}` });
		const openPost = await postStatus(open, { status: `indexable ${word}` });
		const unlisted = await postStatus(open, { status: `unlisted ${word}`, visibility: "unlisted" });
		const privatePost = await postStatus(open, { status: `followers only ${word}`, visibility: "private" });
		const mentioning = await postStatus(open, {
			status: `@${bob.account.username} direct ${word}`,
			visibility: "direct",
		});

		// Authors find everything of their own, and everyone finds the indexable public post.
		expect(await found(word, quiet)).toEqual([openPost.id, quietPost.id]);
		expect(await found(word, open)).toEqual([mentioning.id, privatePost.id, unlisted.id, openPost.id]);
		// Others find the indexable public post, and what mentions them.
		expect(await found(word, bob)).toEqual([mentioning.id, openPost.id]);
		expect(await found(word, carol)).toEqual([openPost.id]);
		// Interacting makes a post findable, as in Mastodon; a follower's private post still is not by itself.
		expect((await postJson(`/api/v1/statuses/${quietPost.id}/favourite`, bob.token)).status).toBe(200);
		expect((await postJson(`/api/v1/statuses/${unlisted.id}/bookmark`, bob.token)).status).toBe(200);
		expect(await found(word, bob)).toEqual([mentioning.id, unlisted.id, openPost.id, quietPost.id]);
		expect(await found(word, carol)).toEqual([openPost.id]);
		expect(await found(`${word} in:library`, bob)).toEqual([mentioning.id, unlisted.id, quietPost.id]);
		expect(await found(`${word} in:public`, bob)).toEqual([openPost.id]);
	});

	it("finds remote posts only of indexable actors, unless the viewer interacted with them", async () => {
		const word = unique();
		const bob = await createTestUser();
		const peer = await fakeActor();
		const remote = await storeActor(peer);
		const shy = await remotePost(remote, peer.uri, `<p>remote <b>Ünïcode</b> ${word}</p>`);
		expect(await found(`unicode ${word}`, bob)).toEqual([]);
		expect((await postJson(`/api/v1/statuses/${shy.id}/favourite`, bob.token)).status).toBe(200);
		expect(await found(`unicode ${word}`, bob)).toEqual([shy.id]);
		await setIndexable(remote);
		const carol = await createTestUser();
		expect(await found(`unicode ${word}`, carol)).toEqual([shy.id]);
		// Private remote posts stay out even when the actor is indexable.
		const hidden = await remotePost(remote, peer.uri, `<p>hidden ${word}</p>`, {
			to: [`${peer.uri}/followers`],
			cc: [],
		});
		expect(hidden.visibility).toBe("private");
		expect(await found(`hidden ${word}`, carol)).toEqual([]);
	});

	it("leaves out blocked and muted authors, and answers anonymous searches without statuses", async () => {
		const word = unique();
		const alice = await indexableUser();
		const bob = await createTestUser();
		const carol = await createTestUser();
		const posted = await postStatus(alice, { status: `hello ${word}` });
		expect(await found(word, bob)).toEqual([posted.id]);
		expect((await postJson(`/api/v1/accounts/${alice.account.id}/mute`, bob.token)).status).toBe(200);
		expect(await found(word, bob)).toEqual([]);
		expect((await postJson(`/api/v1/accounts/${carol.account.id}/block`, alice.token)).status).toBe(200);
		expect(await found(word, carol)).toEqual([]);
		const anonymous = await search(`q=${word}&type=statuses`);
		expect(anonymous).toMatchObject({ status: 200, body: { statuses: [] } });
		const byUrl = await search(`q=${encodeURIComponent(String(posted.url))}`);
		expect(byUrl).toMatchObject({ status: 200, body: { statuses: [] } });
	});

	it("applies from:, has:, is:, language: and date operators", async () => {
		const word = unique();
		const alice = await indexableUser();
		const bob = await indexableUser();
		const media = await uploadedMedia(alice, "a tern diving");
		const withMedia = await postStatus(alice, { status: `picture ${word}`, media_ids: [media], language: "fr" });
		const withPoll = await postStatus(alice, {
			status: `poll ${word}`,
			poll: { options: ["yes", "no"], expires_in: 3600 },
			sensitive: true,
		});
		const reply = await postStatus(bob, {
			status: `reply ${word} https://example.com/page`,
			in_reply_to_id: withMedia.id,
		});
		expect(await found(`${word} from:me`, alice)).toEqual([withPoll.id, withMedia.id]);
		expect(await found(`${word} from:${bob.account.username}`, alice)).toEqual([reply.id]);
		expect(await found(`${word} from:@${bob.account.username}@${config().domain}`, alice)).toEqual([reply.id]);
		expect(await found(`${word} -from:me`, alice)).toEqual([reply.id]);
		expect(await found(`${word} from:nobody@nowhere.example`, alice)).toEqual([]);
		expect(await found(`${word} has:media`, bob)).toEqual([withMedia.id]);
		expect(await found(`${word} has:image`, bob)).toEqual([withMedia.id]);
		expect(await found(`${word} has:poll`, bob)).toEqual([withPoll.id]);
		expect(await found(`${word} has:link`, bob)).toEqual([reply.id]);
		expect(await found(`${word} is:reply`, bob)).toEqual([reply.id]);
		expect(await found(`${word} -is:reply`, bob)).toEqual([withPoll.id, withMedia.id]);
		expect(await found(`${word} is:sensitive`, bob)).toEqual([withPoll.id]);
		expect(await found(`${word} has:nonsense`, bob)).toEqual([]);
		expect(await found(`${word} language:FR`, bob)).toEqual([withMedia.id]);
		// Media descriptions and poll options are searched too, as in Mastodon.
		expect(await found(`diving ${word}`, bob)).toEqual([withMedia.id]);
		expect(await found(`${word} yes`, bob)).toEqual([withPoll.id]);
		const today = new Date().toISOString().slice(0, 10);
		expect(await found(`${word} during:${today}`, bob)).toHaveLength(3);
		expect(await found(`${word} after:2000-01-01`, bob)).toHaveLength(3);
		expect(await found(`${word} before:2000-01-01`, bob)).toEqual([]);
		expect(await found(`${word} before:${Date.now() + 60_000}`, bob)).toHaveLength(3);
		// A query of operators only is driven by its account.
		expect((await found("from:me", alice)).slice(0, 2)).toEqual([withPoll.id, withMedia.id]);
		expect(await found(word, bob, `&account_id=${bob.account.id}`)).toEqual([reply.id]);
	});

	it("pages with limit, offset, max_id and min_id, newest first", async () => {
		const word = unique();
		const alice = await indexableUser();
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push((await postStatus(alice, { status: `page ${i} ${word}` })).id);
		const newest = [...ids].reverse();
		expect(await found(word, alice, "&limit=2")).toEqual(newest.slice(0, 2));
		expect(await found(word, alice, "&limit=2&offset=2")).toEqual(newest.slice(2, 4));
		expect(await found(word, alice, `&max_id=${ids[3]}`)).toEqual(newest.slice(2));
		expect(await found(word, alice, `&min_id=${ids[1]}`)).toEqual(newest.slice(0, 3));
		expect(await found(word, alice, `&min_id=${ids[0]}&max_id=${ids[4]}`)).toEqual(newest.slice(1, 4));
		// Offsets only page a single type, as in Mastodon.
		const mixed = await search(`q=${word}&offset=2`, alice);
		expect(mixed.body.statuses.map((s) => s.id)).toEqual(newest);
	});

	it("refuses bad parameters and unknown accounts", async () => {
		const user = await createTestUser();
		expect((await search("q=x&type=statuses&limit=0", user)).status).toBe(200);
		expect((await search("q=x&type=statuses&limit=many", user)).status).toBe(422);
		expect((await search("q=x&type=statuses&max_id=abc", user)).status).toBe(422);
		expect((await search("q=x&type=statuses&offset=-1", user)).status).toBe(422);
		expect((await search("q=x%20before:yesterday&type=statuses", user)).status).toBe(422);
		const unknown = await search(`q=x&type=statuses&account_id=${newId()}`, user);
		expect(unknown.status).toBe(404);
		expect(unknown.body).toEqual({ error: "Record not found" });
	});

	it("follows edits and deletions", async () => {
		const word = unique();
		const alice = await indexableUser();
		const posted = await postStatus(alice, { status: `before ${word}` });
		const edited = await postJson(`/api/v1/statuses/${posted.id}`, alice.token, { status: `after ${word}` }, "PUT");
		expect(edited.status).toBe(200);
		expect(await found(`before ${word}`, alice)).toEqual([]);
		expect(await found(`after ${word}`, alice)).toEqual([posted.id]);
		expect((await api(`/api/v1/statuses/${posted.id}`, { method: "DELETE", token: alice.token })).status).toBe(200);
		expect(await found(word, alice)).toEqual([]);
		const left = await db().all<{ n: number }>(
			sql`select (select count(*) from status_search_terms where status_id = ${posted.id})
				+ (select count(*) from status_search_documents where status_id = ${posted.id}) as n`,
		);
		expect(left[0]?.n).toBe(0);
	});

	it("follows remote posts through the inbox: Create, Update and Delete", async () => {
		const word = unique();
		const { peer, remote, alice } = await followedPeer();
		await setIndexable(remote);
		const object = note(peer, { content: `<p>first draft ${word}</p>` });
		await deliverToInbox(create(peer, object));
		const stored = await statusByUri(object.id);
		expect(await found(`draft ${word}`, alice)).toEqual([stored?.id]);
		await deliverToInbox({
			id: `${object.id}#update`,
			type: "Update",
			actor: peer.uri,
			object: { ...object, content: `<p>final text ${word}</p>`, updated: "2024-05-01T11:00:00Z" },
		});
		expect(await found(`draft ${word}`, alice)).toEqual([]);
		expect(await found(`final ${word}`, alice)).toEqual([stored?.id]);
		await deliverToInbox({ id: `${object.id}#delete`, type: "Delete", actor: peer.uri, object: object.id });
		expect(await found(word, alice)).toEqual([]);
	});

	it("indexes statuses stored before search existed from the scheduled backfill", async () => {
		const word = unique();
		const alice = await indexableUser();
		const id = newId();
		await db()
			.insert(statuses)
			.values({
				id,
				uri: `${config().origin}/users/${alice.account.username}/statuses/${id}`,
				accountId: alice.account.id,
				local: true,
				content: `<p>seeded ${word}</p>`,
				visibility: "public",
				createdAt: new Date(),
			});
		expect(await found(word, alice)).toEqual([]);
		for (let page = 0; page < 50 && !(await backfillSearchPage(db())); page++);
		expect(await found(word, alice)).toEqual([id]);
	});

	it("stays within the query budget", async () => {
		const word = unique();
		const alice = await indexableUser();
		for (let i = 0; i < 3; i++) await postStatus(alice, { status: `budget ${word} ${i}` });
		const { response, counts } = await countD1(
			new Request(
				`${config().origin}/api/v2/search?q=${encodeURIComponent(`budget ${word} from:me has:poll -is:reply`)}`,
				{
					headers: { Authorization: `Bearer ${alice.token}` },
				},
			),
		);
		expect(response.status).toBe(200);
		expect(counts.roundTrips).toBeLessThanOrEqual(10);
		const all = await countD1(
			new Request(`${config().origin}/api/v2/search?q=${word}`, {
				headers: { Authorization: `Bearer ${alice.token}` },
			}),
		);
		expect(((await all.response.json()) as SearchJson).statuses).toHaveLength(3);
		expect(all.counts.roundTrips).toBeLessThanOrEqual(10);
	});
});
