import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { blocks, mediaAttachments, statuses } from "../../src/db/schema";
import { handleFetch } from "../../src/http/app";
import { newId } from "../../src/lib/ids";
import { createTestUser, db } from "../helpers/users";
import { AP_ACCEPT, fetchDocument, follow, insertStatus } from "./helpers";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
type Doc = Record<string, unknown> & { to: string[]; cc: string[]; tag: Record<string, string>[] };

const statusPath = (username: string, id: string) => `/users/${username}/statuses/${id}`;

describe("Note documents", () => {
	it("serves a public status as a Note with addressing, tags and mentions", async () => {
		const author = (await createTestUser()).account;
		const mentioned = (await createTestUser()).account;
		const status = await insertStatus(author, {
			content: "hi",
			mentionIds: [mentioned.id],
			tagNames: ["Tern"],
			spoilerText: "cw",
		});
		const response = await fetchDocument(statusPath(author.username, status.id));
		expect(response.status).toBe(200);
		const note = (await response.json()) as Doc;
		expect(note).toMatchObject({
			id: status.uri,
			type: "Note",
			attributedTo: author.uri,
			content: "<p>hi</p>",
			contentMap: { en: "<p>hi</p>" },
			summary: "cw",
			sensitive: false,
			inReplyTo: null,
			url: `https://tern.test/@${author.username}/${status.id}`,
			to: [PUBLIC],
			cc: [`${author.uri}/followers`, mentioned.uri],
		});
		expect(note.tag).toContainEqual({ type: "Mention", href: mentioned.uri, name: `@${mentioned.username}@tern.test` });
		expect(note.tag).toContainEqual({ type: "Hashtag", href: "https://tern.test/tags/tern", name: "#Tern" });
		expect(note.conversation).toMatch(/^tag:tern\.test,\d{4}:objectId=/);

		const activity = (await (await fetchDocument(`${statusPath(author.username, status.id)}/activity`)).json()) as Doc;
		expect(activity).toMatchObject({
			id: `${status.uri}/activity`,
			type: "Create",
			actor: author.uri,
			to: note.to,
			cc: note.cc,
		});
		expect((activity.object as Doc).id).toBe(status.uri);
	});

	it("carries attachments, the parent and the edit time", async () => {
		const author = (await createTestUser()).account;
		const parent = await insertStatus(author);
		const reply = await insertStatus(author, { content: "with media" });
		const editedAt = new Date();
		await db()
			.update(statuses)
			.set({ inReplyToId: parent.id, sensitive: true, editedAt })
			.where(eq(statuses.id, reply.id));
		await db().insert(mediaAttachments).values({
			id: newId(),
			accountId: author.id,
			statusId: reply.id,
			type: "image",
			fileKey: "media/abc.png",
			contentType: "image/png",
			width: 640,
			height: 480,
			blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
			description: "a cat",
			focusX: 0.5,
			focusY: -0.25,
			createdAt: new Date(),
		});
		const note = (await (await fetchDocument(statusPath(author.username, reply.id))).json()) as Doc;
		expect(note).toMatchObject({ inReplyTo: parent.uri, sensitive: true, updated: editedAt.toISOString() });
		expect(note.attachment).toEqual([
			{
				type: "Document",
				mediaType: "image/png",
				url: "https://tern.test/media/media/abc.png",
				name: "a cat",
				blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj",
				focalPoint: [0.5, -0.25],
				width: 640,
				height: 480,
			},
		]);
	});

	it("addresses unlisted to followers with Public in cc", async () => {
		const author = (await createTestUser()).account;
		const status = await insertStatus(author, { visibility: "unlisted" });
		const note = (await (await fetchDocument(statusPath(author.username, status.id))).json()) as Doc;
		expect(note.to).toEqual([`${author.uri}/followers`]);
		expect(note.cc).toEqual([PUBLIC]);
	});

	it("serves followers-only posts only to a signed fetch by a follower", async () => {
		const author = (await createTestUser()).account;
		const follower = (await createTestUser()).account;
		const stranger = (await createTestUser()).account;
		await follow(follower.id, author.id);
		const status = await insertStatus(author, { visibility: "private" });
		const path = statusPath(author.username, status.id);
		expect((await fetchDocument(path)).status).toBe(404);
		expect((await fetchDocument(path, { signAs: stranger.id })).status).toBe(404);
		const response = await fetchDocument(path, { signAs: follower.id });
		expect(response.status).toBe(200);
		const note = (await response.json()) as Doc;
		expect(note.to).toEqual([`${author.uri}/followers`]);
		expect(note.cc).toEqual([]);
	});

	it("serves direct posts only to mentioned actors", async () => {
		const author = (await createTestUser()).account;
		const recipient = (await createTestUser()).account;
		const follower = (await createTestUser()).account;
		await follow(follower.id, author.id);
		const status = await insertStatus(author, { visibility: "direct", mentionIds: [recipient.id] });
		const path = statusPath(author.username, status.id);
		expect((await fetchDocument(path)).status).toBe(404);
		expect((await fetchDocument(path, { signAs: follower.id })).status).toBe(404);
		const note = (await (await fetchDocument(path, { signAs: recipient.id })).json()) as Doc;
		expect(note.to).toEqual([recipient.uri]);
		expect(note.cc).toEqual([]);
	});

	it("hides even public posts from a blocked signer", async () => {
		const author = (await createTestUser()).account;
		const blocked = (await createTestUser()).account;
		await db()
			.insert(blocks)
			.values({ id: newId(), accountId: author.id, targetAccountId: blocked.id, createdAt: new Date() });
		const status = await insertStatus(author);
		expect((await fetchDocument(statusPath(author.username, status.id), { signAs: blocked.id })).status).toBe(404);
	});

	it("answers 404 for a status under another username", async () => {
		const author = (await createTestUser()).account;
		const other = (await createTestUser()).account;
		const status = await insertStatus(author);
		expect((await fetchDocument(statusPath(other.username, status.id))).status).toBe(404);
		expect((await fetchDocument(statusPath(author.username, "123"))).status).toBe(404);
	});

	it("serves a boost's activity as an Announce", async () => {
		const author = (await createTestUser()).account;
		const booster = (await createTestUser()).account;
		const original = await insertStatus(author);
		const boost = await insertStatus(booster, { reblogOfId: original.id });
		const announce = (await (await fetchDocument(`${statusPath(booster.username, boost.id)}/activity`)).json()) as Doc;
		expect(announce).toMatchObject({
			id: boost.uri,
			type: "Announce",
			actor: booster.uri,
			object: original.uri,
			to: [PUBLIC],
			cc: [`${booster.uri}/followers`, author.uri],
		});
		expect((await fetchDocument(statusPath(booster.username, boost.id))).status).toBe(404);
	});
});

describe("status pages", () => {
	it("give browsers HTML for public posts and 404 for private ones", async () => {
		const author = (await createTestUser()).account;
		const open = await insertStatus(author, { content: "visible words" });
		const hidden = await insertStatus(author, { visibility: "private", content: "secret words" });
		const html = await fetchDocument(`/@${author.username}/${open.id}`, { accept: "text/html" });
		expect(html.status).toBe(200);
		expect(html.headers.get("content-type")).toContain("text/html");
		expect(await html.text()).toContain("visible words");
		expect((await fetchDocument(`/@${author.username}/${hidden.id}`, { accept: "text/html" })).status).toBe(404);
		const json = await fetchDocument(`/@${author.username}/${open.id}`);
		expect(((await json.json()) as { id: string }).id).toBe(open.uri);
	});
});

describe("authorized fetch", () => {
	const secureFetch = (path: string, headers: HeadersInit = { Accept: AP_ACCEPT }) =>
		handleFetch(
			new Request(`https://tern.test${path}`, { headers }),
			{ ...env, AUTHORIZED_FETCH: "true" },
			createExecutionContext(),
		);

	it("requires a signature for statuses and collections, not for the instance actor", async () => {
		const author = (await createTestUser()).account;
		const status = await insertStatus(author);
		expect((await secureFetch(statusPath(author.username, status.id))).status).toBe(401);
		expect((await secureFetch(`/users/${author.username}/outbox`)).status).toBe(401);
		expect((await secureFetch("/actor")).status).toBe(200);
		const actor = (await (await secureFetch(`/users/${author.username}`)).json()) as Record<string, unknown>;
		expect(actor.inbox).toBeDefined();
		expect(actor.summary).toBeUndefined();
	});
});
