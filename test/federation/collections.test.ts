import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceContext } from "../../src/context";
import { accounts, polls, statuses } from "../../src/db/schema";
import { signRequest } from "../../src/federation/signatures";
import { loadSigningKeys } from "../../src/federation/signing-keys";
import { handleFetch } from "../../src/http/app";
import { newId } from "../../src/lib/ids";
import { ensureAccountKeys } from "../../src/services/accounts/keys";
import { createTestUser, db } from "../helpers/users";
import { AP_ACCEPT, fetchDocument, follow, insertStatus } from "./helpers";

type Collection = Record<string, unknown> & {
	totalItems: number;
	first?: string;
	next?: string;
	prev?: string;
	orderedItems: (Record<string, unknown> & { object: unknown })[];
};

const get = async (url: string) =>
	(await (await fetchDocument(url.replace("https://tern.test", ""))).json()) as Collection;

describe("outbox", () => {
	it("pages Create and Announce activities of public and unlisted posts, newest first", async () => {
		const author = (await createTestUser()).account;
		const other = (await createTestUser()).account;
		const created = [];
		for (let i = 0; i < 22; i++) created.push(await insertStatus(author, { content: `post ${i}` }));
		await insertStatus(author, { visibility: "private" });
		await insertStatus(author, { visibility: "direct" });
		const original = await insertStatus(other);
		const boost = await insertStatus(author, { reblogOfId: original.id });
		await db().update(accounts).set({ statusesCount: 25 }).where(eq(accounts.id, author.id));

		const outbox = await get(`/users/${author.username}/outbox`);
		expect(outbox).toMatchObject({
			id: `${author.uri}/outbox`,
			type: "OrderedCollection",
			totalItems: 25,
			first: `${author.uri}/outbox?page=true`,
		});
		const first = await get(outbox.first as string);
		expect(first.type).toBe("OrderedCollectionPage");
		expect(first.partOf).toBe(`${author.uri}/outbox`);
		expect(first.orderedItems).toHaveLength(20);
		expect(first.orderedItems[0]).toMatchObject({ type: "Announce", id: boost.uri, object: original.uri });
		expect(first.orderedItems[1]).toMatchObject({ type: "Create", id: `${created[21]?.uri}/activity` });
		expect(first.orderedItems.every((item) => !("@context" in item))).toBe(true);
		const second = await get(first.next as string);
		expect(second.orderedItems.map((item) => (item.object as { id: string }).id)).toEqual(
			created
				.slice(0, 3)
				.reverse()
				.map((s) => s.uri),
		);
		expect(second.next).toBeUndefined();
		const back = await get(second.prev as string);
		expect(back.orderedItems.length).toBeGreaterThan(0);
		expect((back.orderedItems.at(-1)?.object as { id?: string } | undefined)?.id).toBe(created[3]?.uri);
	});

	it("serves polls as Questions", async () => {
		const author = (await createTestUser()).account;
		const status = await insertStatus(author, { content: "vote" });
		const pollId = newId();
		await db()
			.insert(polls)
			.values({
				id: pollId,
				statusId: status.id,
				accountId: author.id,
				options: [
					{ title: "yes", votesCount: 2 },
					{ title: "no", votesCount: 1 },
				],
				votersCount: 3,
				expiresAt: new Date(Date.now() + 3600_000),
				createdAt: new Date(),
				updatedAt: new Date(),
			});
		await db().update(statuses).set({ pollId }).where(eq(statuses.id, status.id));
		const question = (await (await fetchDocument(`/users/${author.username}/statuses/${status.id}`)).json()) as Record<
			string,
			unknown
		>;
		expect(question.type).toBe("Question");
		expect(question.oneOf).toEqual([
			{ type: "Note", name: "yes", replies: { type: "Collection", totalItems: 2 } },
			{ type: "Note", name: "no", replies: { type: "Collection", totalItems: 1 } },
		]);
		expect(question.votersCount).toBe(3);
		expect(question.closed).toBeUndefined();
	});
});

describe("followers and following", () => {
	it("count and page actor URIs", async () => {
		const target = (await createTestUser()).account;
		const fans = [];
		for (let i = 0; i < 3; i++) {
			const fan = (await createTestUser()).account;
			await follow(fan.id, target.id);
			fans.push(fan);
		}
		await follow(target.id, fans[0]?.id as string);
		const followers = await get(`/users/${target.username}/followers`);
		expect(followers).toMatchObject({
			type: "OrderedCollection",
			totalItems: 3,
			first: `${target.uri}/followers?page=1`,
		});
		const page = await get(followers.first as string);
		expect(page).toMatchObject({ type: "OrderedCollectionPage", partOf: `${target.uri}/followers`, totalItems: 3 });
		expect(page.orderedItems).toEqual(fans.map((f) => f.uri));
		const following = await get(`/users/${target.username}/following?page=1`);
		expect(following.orderedItems).toEqual([fans[0]?.uri]);
	});

	it("hide their items when the account hides its collections", async () => {
		const target = (await createTestUser()).account;
		await follow((await createTestUser()).account.id, target.id);
		await db().update(accounts).set({ hideCollections: true }).where(eq(accounts.id, target.id));
		const page = await get(`/users/${target.username}/followers?page=1`);
		expect(page.totalItems).toBe(1);
		expect(page.first).toBeUndefined();
		expect(page.orderedItems).toBeUndefined();
	});
});

describe("featured", () => {
	it("holds pinned public posts as Notes", async () => {
		const author = (await createTestUser()).account;
		const pinned = await insertStatus(author, { pinned: true });
		await insertStatus(author, { pinned: true, visibility: "private" });
		await insertStatus(author);
		const featured = await get(`/users/${author.username}/collections/featured`);
		expect(featured.totalItems).toBe(1);
		expect(featured.orderedItems[0]).toMatchObject({ id: pinned.uri, type: "Note" });
	});
});

describe("authorized fetch with a signature", () => {
	it("serves collections to a signed request", async () => {
		const author = (await createTestUser()).account;
		const reader = (await createTestUser()).account;
		await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, reader.id);
		const keys = await loadSigningKeys(serviceContext(env), reader.id);
		if (!keys) throw new Error("keys missing");
		const url = `https://tern.test/users/${author.username}/outbox`;
		const headers = new Headers({ Accept: AP_ACCEPT });
		await signRequest({ method: "GET", url, headers }, keys.rsa);
		const response = await handleFetch(
			new Request(url, { headers }),
			{ ...env, AUTHORIZED_FETCH: "true" },
			createExecutionContext(),
		);
		expect(response.status).toBe(200);
	});
});
