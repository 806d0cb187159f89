import { env } from "cloudflare:workers";
import {
	type Entry,
	type FileEntry,
	TextWriter,
	Uint8ArrayReader,
	Uint8ArrayWriter,
	ZipReader,
} from "@zip.js/zip.js/lib/zip-core-custom.js";
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { accounts, dataExports, statuses } from "../../src/db/schema";
import type { JobMessage } from "../../src/queues/messages";
import { requestArchiveExport } from "../../src/services/portability/archive-export";
import { createStoredArchiveImport } from "../../src/services/portability/archive-upload";
import { exportStream } from "../../src/services/portability/finished-exports";
import { captureJobs, drainJobs } from "../helpers/jobs";
import { PNG } from "../helpers/mastodon-archive";
import { api, createTestUser, db } from "../helpers/users";

let jobs: JobMessage[];

beforeEach(() => {
	jobs = captureJobs();
	vi.spyOn(env.DELIVERY_QUEUE, "send").mockImplementation(async () => undefined as never);
});

afterEach(() => {
	vi.restoreAllMocks();
});

async function post(token: string, body: Record<string, unknown>) {
	const response = await api("/api/v1/statuses", {
		method: "POST",
		token,
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as { id: string; uri: string };
}

async function entriesOf(bytes: Uint8Array): Promise<Map<string, FileEntry>> {
	const reader = new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false });
	const list = (await reader.getEntries()) as Entry[];
	return new Map(list.filter((e) => !e.directory).map((e) => [e.filename, e as FileEntry]));
}

describe("archive export", () => {
	it("builds Mastodon's layout in steps, once a day, and imports into another account", async () => {
		const user = await createTestUser();
		const form = new FormData();
		form.set("file", new File([PNG], "pixel.png", { type: "image/png" }));
		form.set("description", "a pixel");
		const uploaded = await api("/api/v2/media", { method: "POST", token: user.token, body: form });
		const media = (await uploaded.json()) as { id: string };
		const first = await post(user.token, { status: "A picture", media_ids: [media.id] });
		await post(user.token, { status: "A reply", in_reply_to_id: first.id });
		await post(user.token, { status: "Poll?", poll: { options: ["yes", "no"], expires_in: 3600 } });
		await post(user.token, { status: "Hidden", spoiler_text: "cw", visibility: "private" });

		const [account] = await db().select().from(accounts).where(eq(accounts.id, user.account.id));
		const created = await requestArchiveExport({ db: db(), env }, account as never);
		await expect(requestArchiveExport({ db: db(), env }, account as never)).rejects.toThrow(/once a day/);
		const steps = await drainJobs(jobs);
		expect(steps).toBeGreaterThan(5);
		const [row] = await db().select().from(dataExports).where(eq(dataExports.id, created.id));
		expect(row?.state).toBe("done");
		expect(row?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);

		const bytes = new Uint8Array(await new Response(exportStream(env.MEDIA, row as never)).arrayBuffer());
		expect(bytes.byteLength).toBe(row?.size);
		const entries = await entriesOf(bytes);
		const names = [...entries.keys()].sort();
		expect(names.filter((name) => !name.startsWith("media/"))).toEqual([
			"actor.json",
			"bookmarks.json",
			"likes.json",
			"outbox.json",
		]);
		expect(names.filter((name) => name.startsWith("media/"))).toEqual([
			expect.stringMatching(/^media\/\d+\/original\.png$/),
		]);
		const outbox = JSON.parse(await (entries.get("outbox.json") as FileEntry).getData(new TextWriter()));
		expect(outbox).toMatchObject({ id: "outbox.json", type: "OrderedCollection", totalItems: 4 });
		expect(outbox.orderedItems.map((i: { type: string }) => i.type)).toEqual(["Create", "Create", "Create", "Create"]);
		expect(outbox.orderedItems[0]["@context"]).toBeUndefined();
		const attachment = outbox.orderedItems[0].object.attachment[0];
		expect(entries.has(attachment.url)).toBe(true);
		expect(attachment.name).toBe("a pixel");
		const file = await (entries.get(attachment.url) as FileEntry).getData(new Uint8ArrayWriter());
		expect(file).toEqual(PNG);
		const actor = JSON.parse(await (entries.get("actor.json") as FileEntry).getData(new TextWriter()));
		expect(actor).toMatchObject({
			id: account?.uri,
			outbox: "outbox.json",
			likes: "likes.json",
			bookmarks: "bookmarks.json",
		});

		// The same file brought into a second account: the posts come back.
		const other = await createTestUser();
		const [otherAccount] = await db().select().from(accounts).where(eq(accounts.id, other.account.id));
		await createStoredArchiveImport({ db: db(), env }, otherAccount as never, bytes);
		await drainJobs(jobs);
		const original = await db()
			.select()
			.from(statuses)
			.where(eq(statuses.accountId, user.account.id))
			.orderBy(asc(statuses.createdAt));
		const copy = await db()
			.select()
			.from(statuses)
			.where(eq(statuses.accountId, other.account.id))
			.orderBy(asc(statuses.createdAt));
		expect(copy.map((s) => s.createdAt.getTime())).toEqual(original.map((s) => s.createdAt.getTime()));
		expect(copy.map((s) => s.visibility)).toEqual(original.map((s) => s.visibility));
		expect(copy.map((s) => s.spoilerText)).toEqual(original.map((s) => s.spoilerText));
		expect(copy[1]?.inReplyToId).toBe(copy[0]?.id);
		expect(copy[0]?.content).toContain(`Originally published at <a href="${original[0]?.url}"`);
	});
});
