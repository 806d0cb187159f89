import { env } from "cloudflare:workers";
import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accounts, dataImports, importedStatuses, mediaAttachments, polls, statuses } from "../../src/db/schema";
import type { JobMessage } from "../../src/queues/messages";
import { createStoredArchiveImport } from "../../src/services/portability/archive-upload";
import { importProblems } from "../../src/services/portability/imports";
import { captureJobs, drainJobs } from "../helpers/jobs";
import { ACTOR, announceItem, buildMastodonArchive, createItem, PNG } from "../helpers/mastodon-archive";
import { api, createTestUser, db } from "../helpers/users";

const MEDIA_PATH = "media_attachments/files/110/520/301/441/857/207/original/7c5a9e8e.png";
const OTHER_POST = "https://elsewhere.example/users/zed/statuses/42";
const BOOSTED = "https://elsewhere.example/users/zed/statuses/43";

/** Every kind of post the issue names, in the order Mastodon's outbox lists them (by id). */
function archiveItems() {
	return [
		createItem({
			id: "1001",
			published: "2023-01-02T10:00:00Z",
			content: "<p>Hello from the old place, with a picture</p>",
			attachment: [
				{
					path: MEDIA_PATH,
					mediaType: "image/png",
					name: "A single grey pixel",
					blurhash: "L00000fQfQfQfQfQfQfQfQfQfQfQ",
					focalPoint: [0.1, -0.2],
					width: 1,
					height: 1,
				},
			],
			tags: ["introductions"],
		}),
		createItem({
			id: "1002",
			published: "2023-02-03T11:00:00Z",
			content: "<p>Which tea?</p>",
			poll: {
				options: [
					["Green", 3],
					["Black", 5],
				],
				closed: "2023-02-04T11:00:00Z",
			},
		}),
		createItem({
			id: "1003",
			published: "2023-03-04T12:00:00Z",
			content: "<p>Spoilers for the finale</p>",
			summary: "TV spoilers",
		}),
		createItem({
			id: "1004",
			published: "2023-04-05T13:00:00Z",
			content: "<p>A thread, 1/2</p>",
		}),
		createItem({
			id: "1005",
			published: "2023-04-05T13:01:00Z",
			content: "<p>A thread, 2/2</p>",
			inReplyTo: `${ACTOR}/statuses/1004`,
		}),
		announceItem("1006", "2023-05-06T14:00:00Z", BOOSTED),
		createItem({
			id: "1007",
			published: "2023-06-07T15:00:00Z",
			content:
				'<p><span class="h-card"><a href="https://elsewhere.example/@zed" class="u-url mention">@<span>zed</span></a></span> I agree</p>',
			inReplyTo: OTHER_POST,
			mentions: ["https://elsewhere.example/users/zed"],
		}),
		createItem({
			id: "1008",
			published: "2023-07-08T16:00:00Z",
			content: "<p>Only for my followers</p>",
			visibility: "private",
		}),
		// Not a post: reported, not imported.
		{ id: `${ACTOR}#likes/1`, type: "Like", actor: ACTOR, object: OTHER_POST },
	];
}

let jobs: JobMessage[];

beforeEach(() => {
	jobs = captureJobs();
	vi.spyOn(env.DELIVERY_QUEUE, "send").mockImplementation(async () => undefined as never);
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function importArchive(accountId: string, bytes: Uint8Array) {
	const [account] = await db().select().from(accounts).where(eq(accounts.id, accountId));
	const row = await createStoredArchiveImport({ db: db(), env }, account as never, bytes);
	await drainJobs(jobs);
	const [done] = await db().select().from(dataImports).where(eq(dataImports.id, row.id));
	return done;
}

describe("importing posts from a Mastodon archive", () => {
	it("brings every post in with its date, text, media, thread and visibility; a second import adds nothing", async () => {
		const user = await createTestUser();
		const archive = await buildMastodonArchive(archiveItems(), { [MEDIA_PATH]: PNG });
		const first = await importArchive(user.account.id, archive);
		expect(first?.state).toBe("done");
		expect(first?.totalItems).toBe(9);
		expect(first?.processedItems).toBe(9);
		expect(first?.importedItems).toBe(8);

		const rows = await db()
			.select()
			.from(statuses)
			.where(eq(statuses.accountId, user.account.id))
			.orderBy(asc(statuses.createdAt));
		expect(rows).toHaveLength(8);
		const byDate = (iso: string) => rows.find((s) => s.createdAt.toISOString() === iso);

		const withMedia = byDate("2023-01-02T10:00:00.000Z");
		expect(withMedia?.content).toContain("Hello from the old place, with a picture");
		expect(withMedia?.content).toContain('Originally published at <a href="https://old.example/@mira/1001"');
		expect(withMedia?.visibility).toBe("public");
		const media = await db()
			.select()
			.from(mediaAttachments)
			.where(eq(mediaAttachments.statusId, withMedia?.id ?? ""));
		expect(media).toHaveLength(1);
		expect(media[0]?.description).toBe("A single grey pixel");
		expect(media[0]?.focusX).toBeCloseTo(0.1);
		expect(media[0]?.contentType).toBe("image/png");
		const stored = await env.MEDIA.get(media[0]?.fileKey ?? "");
		expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(PNG);

		const poll = byDate("2023-02-03T11:00:00.000Z");
		const [pollRow] = await db()
			.select()
			.from(polls)
			.where(eq(polls.id, poll?.pollId ?? ""));
		expect(pollRow?.options).toEqual([
			{ title: "Green", votesCount: 3 },
			{ title: "Black", votesCount: 5 },
		]);
		expect(pollRow?.votesCount).toBe(8);
		expect(pollRow?.expiresAt?.toISOString()).toBe("2023-02-04T11:00:00.000Z");

		const cw = byDate("2023-03-04T12:00:00.000Z");
		expect(cw?.spoilerText).toBe("TV spoilers");
		expect(cw?.sensitive).toBe(true);

		const head = byDate("2023-04-05T13:00:00.000Z");
		const reply = byDate("2023-04-05T13:01:00.000Z");
		expect(reply?.inReplyToId).toBe(head?.id);
		expect(reply?.conversationId).toBe(head?.conversationId);
		expect(head?.repliesCount).toBe(1);

		const boost = byDate("2023-05-06T14:00:00.000Z");
		expect(boost?.content).toContain(`Boosted <a href="${BOOSTED}"`);
		expect(boost?.reblogOfId).toBeNull();

		const other = byDate("2023-06-07T15:00:00.000Z");
		expect(other?.inReplyToId).toBeNull();
		expect(other?.inReplyToUri).toBe(OTHER_POST);
		expect(other?.content).toContain(`in reply to <a href="${OTHER_POST}"`);

		expect(byDate("2023-07-08T16:00:00.000Z")?.visibility).toBe("private");

		const problems = await importProblems(db(), first?.id ?? "");
		expect(problems).toEqual([expect.objectContaining({ state: "skipped", reason: "Like activities are not posts" })]);

		// Nothing went to followers or other servers as new.
		expect(jobs.filter((j) => j.type === "timeline.fanout")).toEqual([]);
		expect(env.DELIVERY_QUEUE.send).not.toHaveBeenCalled();

		// The profile lists them by their original dates, the API shows them as the member's.
		const listed = await api(`/api/v1/accounts/${user.account.id}/statuses?limit=40`, { token: user.token });
		const shown = (await listed.json()) as { created_at: string }[];
		expect(shown.map((s) => s.created_at)).toEqual([...rows].reverse().map((s) => s.createdAt.toISOString()));

		const second = await importArchive(user.account.id, archive);
		expect(second?.state).toBe("done");
		expect(second?.importedItems).toBe(0);
		expect(second?.progress.duplicates).toBe(8);
		const after = await db().select().from(statuses).where(eq(statuses.accountId, user.account.id));
		expect(after).toHaveLength(8);
		const recorded = await db()
			.select()
			.from(importedStatuses)
			.where(and(eq(importedStatuses.accountId, user.account.id)));
		expect(recorded).toHaveLength(8);
	});

	it("keeps a reply in its thread when it comes before its parent in the file", async () => {
		const user = await createTestUser();
		const items = [
			createItem({
				id: "2002",
				published: "2023-04-05T13:01:00Z",
				content: "<p>second</p>",
				inReplyTo: `${ACTOR}/statuses/2001`,
			}),
			createItem({ id: "2001", published: "2023-04-05T13:00:00Z", content: "<p>first</p>" }),
		];
		const done = await importArchive(user.account.id, await buildMastodonArchive(items, {}));
		expect(done?.importedItems).toBe(2);
		const rows = await db()
			.select()
			.from(statuses)
			.where(eq(statuses.accountId, user.account.id))
			.orderBy(asc(statuses.createdAt));
		expect(rows[1]?.inReplyToId).toBe(rows[0]?.id);
	});

	it("fails clearly on a file that is not a zip, changing nothing", async () => {
		const user = await createTestUser();
		const done = await importArchive(user.account.id, new TextEncoder().encode("not a zip at all"));
		expect(done?.state).toBe("failed");
		expect(done?.error).toMatch(/not a zip/);
		expect(await db().select().from(statuses).where(eq(statuses.accountId, user.account.id))).toEqual([]);
	});
});
