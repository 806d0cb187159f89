import { and, eq } from "drizzle-orm";
import { polls, pollVotes } from "../../db/schema";
import { authenticate, requireUser } from "../../http/auth";
import type { AppContext } from "../../http/context";
import { ApiError, notFound } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializePoll } from "../../serializers/mastodon/poll";
import { voteInPoll } from "../../services/statuses/poll-votes";
import { findVisibleStatus } from "../../services/statuses/visibility";

/** The poll, if the viewer may see the post it belongs to. */
async function visiblePoll(ctx: AppContext, viewerId: string | null, id: string) {
	const [poll] = await ctx.db.select().from(polls).where(eq(polls.id, id)).limit(1);
	if (!poll || !(await findVisibleStatus(ctx.db, viewerId, poll.statusId))) throw notFound();
	return poll;
}

async function pollView(ctx: AppContext, viewerId: string | null, id: string) {
	const poll = await visiblePoll(ctx, viewerId, id);
	const votes = viewerId
		? await ctx.db
				.select({ choice: pollVotes.choice })
				.from(pollVotes)
				.where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.accountId, viewerId)))
		: null;
	return serializePoll(poll, {
		ownVotes: votes ? votes.map((v) => v.choice).sort((a, b) => a - b) : null,
		isAuthor: viewerId === poll.accountId,
	});
}

export function pollRoutes(router: AppRouter): void {
	router.get("/api/v1/polls/:id", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (auth) await requireUser(request, ctx, "read:statuses");
		return json(await pollView(ctx, auth?.account?.id ?? null, request.params.id ?? ""));
	});

	router.post("/api/v1/polls/:id/votes", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:statuses");
		const poll = await visiblePoll(ctx, account.id, request.params.id ?? "");
		const params = await readParams(request);
		const choices = (params.stringArray("choices") ?? []).map((choice) => {
			if (!/^\d+$/.test(choice.trim())) throw new ApiError(422, "Validation failed: choices must be integers");
			return Number(choice);
		});
		await voteInPoll(ctx, account, poll, choices);
		return json(await pollView(ctx, account.id, poll.id));
	});
}
