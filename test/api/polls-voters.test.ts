import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import misskeyQuestion from "../fixtures/activitypub/misskey__question__no-endtime.json";
import { deliverToInbox } from "../helpers/fediverse";
import { create, followedPeer, note, rehome, statusByUri } from "../helpers/fediverse-posts";
import { expectMatchesSchema } from "../helpers/openapi";
import { getJson, postJson, postStatus, type StatusJson } from "../helpers/statuses";
import { createTestUser } from "../helpers/users";

vi.setConfig({ testTimeout: 30_000 });

interface PollJson {
	votes_count: number;
	voters_count: number | null;
}

const pollOf = async (id: string, token: string) =>
	(await getJson<StatusJson & { poll: PollJson }>(`/api/v1/statuses/${id}`, token)).body.poll;

// Mastodon stores voters_count on every local poll, starting at 0 (PostStatusService), adds one per new
// voter (VoteService, only when it is not null) and serializes it as stored (REST::PollSerializer).
describe("poll voters_count as Mastodon stores it", () => {
	beforeEach(() => {
		vi.spyOn(env.DELIVERY_QUEUE, "send").mockResolvedValue(undefined as never);
	});
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it("counts voters of a local poll from 0, single- or multiple-choice", async () => {
		const author = await createTestUser();
		const voter = await createTestUser();
		const single = await postStatus(author, { status: "one?", poll: { options: ["a", "b"], expires_in: 3600 } });
		expect(await pollOf(single.id, voter.token)).toMatchObject({ votes_count: 0, voters_count: 0 });
		expect(
			(await postJson(`/api/v1/polls/${(single.poll as { id: string }).id}/votes`, voter.token, { choices: [1] }))
				.status,
		).toBe(200);
		expect(await pollOf(single.id, voter.token)).toMatchObject({ votes_count: 1, voters_count: 1 });

		const multiple = await postStatus(author, {
			status: "many?",
			poll: { options: ["a", "b", "c"], expires_in: 3600, multiple: true },
		});
		const pollId = (multiple.poll as { id: string }).id;
		expect((await postJson(`/api/v1/polls/${pollId}/votes`, voter.token, { choices: [0, 2] })).status).toBe(200);
		const counted = await getJson(`/api/v1/polls/${pollId}`, voter.token);
		expectMatchesSchema("GET", "/api/v1/polls/{id}", 200, counted.body);
		expect(counted.body).toMatchObject({ votes_count: 2, voters_count: 1 });
	});

	it("keeps null for a remote poll whose server does not count voters, also after a local vote", async () => {
		const { peer, alice } = await followedPeer();
		const object = rehome(misskeyQuestion, "https://skippers-bin.com/users/7v1w1r8ce6", peer) as unknown as Record<
			string,
			unknown
		>;
		await deliverToInbox(create(peer, { ...object, endTime: new Date(Date.now() + 3_600_000).toISOString() }));
		const stored = await statusByUri(object.id as string);
		const before = await pollOf(stored?.id ?? "", alice.token);
		expect(before.voters_count).toBeNull();
		const pollId = (before as PollJson & { id: string }).id;
		expect((await postJson(`/api/v1/polls/${pollId}/votes`, alice.token, { choices: [0] })).status).toBe(200);
		const after = await pollOf(stored?.id ?? "", alice.token);
		expect(after.votes_count).toBe(before.votes_count + 1);
		expect(after.voters_count).toBeNull();

		// A server that counts voters (Mastodon) is shown as it says.
		const counted = note(peer, {
			type: "Question",
			oneOf: [
				{ type: "Note", name: "yes", replies: { type: "Collection", totalItems: 3 } },
				{ type: "Note", name: "no", replies: { type: "Collection", totalItems: 1 } },
			],
			votersCount: 4,
			endTime: new Date(Date.now() + 3_600_000).toISOString(),
		});
		await deliverToInbox(create(peer, counted));
		const countedStatus = await statusByUri(counted.id);
		expect(await pollOf(countedStatus?.id ?? "", alice.token)).toMatchObject({ votes_count: 4, voters_count: 4 });
	});
});
