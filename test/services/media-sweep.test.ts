import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mediaAttachments } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import type { JobMessage } from "../../src/queues/messages";
import { GIVE_UP_AFTER_MS, STUCK_AFTER_MS, sweepStuckMedia } from "../../src/services/media/sweep";
import { createTestUser, db } from "../helpers/users";

afterEach(() => vi.restoreAllMocks());

async function upload(accountId: string, ageMs: number, processing: boolean): Promise<string> {
	const id = newId();
	await db()
		.insert(mediaAttachments)
		.values({ id, accountId, type: "image", processing, createdAt: new Date(Date.now() - ageMs) });
	return id;
}

describe("sweepStuckMedia", () => {
	it("queues the job again for uploads stuck in processing and releases ones stuck for a day", async () => {
		const sent: JobMessage[] = [];
		vi.spyOn(env.JOBS_QUEUE, "sendBatch").mockImplementation(async (messages) => {
			for (const m of messages) sent.push(m.body as JobMessage);
			return undefined as never;
		});
		vi.spyOn(console, "warn").mockImplementation(() => {});
		const user = await createTestUser();
		const fresh = await upload(user.account.id, 60_000, true);
		const stuck = await upload(user.account.id, STUCK_AFTER_MS + 60_000, true);
		const abandoned = await upload(user.account.id, GIVE_UP_AFTER_MS + 60_000, true);
		const ready = await upload(user.account.id, GIVE_UP_AFTER_MS + 60_000, false);

		await sweepStuckMedia(db(), env.JOBS_QUEUE);

		const ids = sent.map((m) => (m.type === "media.process" ? m.mediaId : null));
		expect(ids).toContain(stuck);
		expect(ids).not.toContain(fresh);
		expect(ids).not.toContain(abandoned);
		expect(ids).not.toContain(ready);
		const rows = await db()
			.select({ id: mediaAttachments.id, processing: mediaAttachments.processing })
			.from(mediaAttachments)
			.where(eq(mediaAttachments.accountId, user.account.id));
		const processing = Object.fromEntries(rows.map((r) => [r.id, r.processing]));
		expect(processing).toEqual({ [fresh]: true, [stuck]: true, [abandoned]: false, [ready]: false });
	});
});
