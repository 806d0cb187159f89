import { and, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { accountKeys, blocks, favourites, followRequests, follows, polls, pollVotes } from "../../db/schema";
import { serializeActor } from "../../serializers/activitypub/actor";
import { deleteActorActivity, moveActivity } from "../outbox/account-activities";
import { buildAnnounce, buildCreate, buildUpdate } from "../outbox/activities";
import type { OutboxEvent } from "../outbox/events";
import { planReportForward } from "../outbox/flag";
import { loadNoteSources } from "../outbox/note-sources";
import {
	type ActivityDocument,
	blockActivity,
	deleteStatusActivity,
	followActivity,
	followAnswer,
	likeActivity,
	PUBLIC_AUDIENCE,
	pollVoteActivity,
	undoActivity,
	updateActivity,
} from "../outbox/simple-activities";
import { loadAccounts, loadStatusWithAuthor, mentionedAccountIds } from "./event-loaders";
import type { Audience } from "./recipients";

/** An activity ready to store and fan out, signed by a local account. */
export interface PlannedDelivery {
	accountId: string;
	activity: ActivityDocument;
	audience: Audience;
}

/**
 * Turns an outbox event into the activities it sends and who gets them.
 * Events about remote actors (services also publish them when the inbox acts
 * for a remote account) and about rows gone since produce nothing.
 */
export async function planDeliveries(ctx: ServiceContext, event: OutboxEvent): Promise<PlannedDelivery[]> {
	const { db } = ctx;
	switch (event.type) {
		case "status.created":
		case "status.updated": {
			const found = await loadStatusWithAuthor(db, event.statusId);
			if (!found || found.author.domain !== null || found.status.deletedAt) return [];
			const [source] = await loadNoteSources(db, [found]);
			if (!source) return [];
			const activity =
				event.type === "status.created" ? buildCreate(source, ctx.config) : buildUpdate(source, ctx.config);
			return [statusDelivery(found.author.id, found.status, activity, await mentionedAccountIds(db, found.status.id))];
		}
		case "status.deleted": {
			const found = await loadStatusWithAuthor(db, event.statusId);
			const author = found?.author ?? (await loadAccounts(db, [event.accountId])).get(event.accountId);
			if (!author || author.domain !== null) return [];
			const mentioned = found ? await mentionedAccountIds(db, found.status.id) : [];
			return [
				{
					accountId: author.id,
					activity: deleteStatusActivity({ statusUri: event.uri, actor: author.uri }),
					audience: {
						followersOf: author.id,
						accountIds: [...mentioned, ...(found?.status.inReplyToAccountId ? [found.status.inReplyToAccountId] : [])],
					},
				},
			];
		}
		case "reblog.created": {
			const boost = await loadStatusWithAuthor(db, event.statusId);
			if (!boost || boost.author.domain !== null || !boost.status.reblogOfId) return [];
			const original = await loadStatusWithAuthor(db, boost.status.reblogOfId);
			if (!original) return [];
			const activity = buildAnnounce({
				boost: boost.status,
				booster: boost.author,
				objectUri: original.status.uri,
				objectAuthorUri: original.author.uri,
			});
			return [
				{
					accountId: boost.author.id,
					activity: activity as ActivityDocument,
					audience: { followersOf: boost.author.id, accountIds: [original.author.id] },
				},
			];
		}
		case "reblog.deleted": {
			const [found, original] = await Promise.all([
				loadAccounts(db, [event.accountId]),
				loadStatusWithAuthor(db, event.reblogOfId),
			]);
			const booster = found.get(event.accountId);
			if (!booster || booster.domain !== null || !original) return [];
			const followers = booster.followersUrl ?? `${booster.uri}/followers`;
			return [
				{
					accountId: booster.id,
					activity: undoActivity(
						"Announce",
						{ id: event.uri, actor: booster.uri, object: original.status.uri },
						{ to: [PUBLIC_AUDIENCE], cc: [followers, original.author.uri] },
					),
					audience: { followersOf: booster.id, accountIds: [original.author.id] },
				},
			];
		}
		case "favourite.created": {
			const rows = await db.select().from(favourites).where(eq(favourites.id, event.favouriteId)).limit(1);
			const favourite = rows[0];
			if (!favourite) return [];
			return interaction(ctx, favourite.accountId, favourite.statusId, (actor, statusUri) =>
				likeActivity({ id: favourite.uri ?? `${actor}#likes/${favourite.id}`, actor, object: statusUri }),
			);
		}
		case "favourite.deleted":
			return interaction(ctx, event.accountId, event.statusId, (actor, statusUri) =>
				undoActivity("Like", { id: event.uri, actor, object: statusUri }),
			);
		case "follow.requested": {
			const rows = await db.select().from(followRequests).where(eq(followRequests.id, event.followRequestId)).limit(1);
			const request = rows[0];
			if (!request?.uri) return [];
			return pair(ctx, request.accountId, request.targetAccountId, (actor, object) =>
				followActivity({ id: request.uri as string, actor, object }),
			);
		}
		case "follow.undone":
			return pair(ctx, event.accountId, event.targetAccountId, (actor, object) =>
				undoActivity("Follow", { id: event.uri, actor, object }),
			);
		case "follow.accepted": {
			const rows = await db.select().from(follows).where(eq(follows.id, event.followId)).limit(1);
			const follow = rows[0];
			if (!follow) return [];
			return pair(ctx, follow.targetAccountId, follow.accountId, (actor, follower) =>
				followAnswer("Accept", {
					id: `${actor}#accepts/follows/${follow.id}`,
					localActor: actor,
					follow: { id: follow.uri, actor: follower },
				}),
			);
		}
		case "follow.rejected":
			return pair(ctx, event.targetAccountId, event.accountId, (actor, follower) =>
				followAnswer("Reject", {
					id: `${actor}#rejects/follows/${encodeURIComponent(event.uri ?? follower)}`,
					localActor: actor,
					follow: { id: event.uri, actor: follower },
				}),
			);
		case "block.created": {
			const rows = await db.select().from(blocks).where(eq(blocks.id, event.blockId)).limit(1);
			const block = rows[0];
			if (!block?.uri) return [];
			return pair(ctx, block.accountId, block.targetAccountId, (actor, object) =>
				blockActivity({ id: block.uri as string, actor, object }),
			);
		}
		case "block.undone":
			return pair(ctx, event.accountId, event.targetAccountId, (actor, object) =>
				undoActivity("Block", { id: event.uri, actor, object }),
			);
		case "account.updated": {
			const [found, keys] = await db.batch([
				db.query.accounts.findFirst({ where: (a, { eq }) => eq(a.id, event.accountId) }),
				db.select().from(accountKeys).where(eq(accountKeys.accountId, event.accountId)).limit(1),
			]);
			if (!found || found.domain !== null) return [];
			const document = serializeActor(found, keys[0] ?? null, ctx.config);
			const followers = found.followersUrl ?? `${found.uri}/followers`;
			return [
				{
					accountId: found.id,
					activity: updateActivity({
						id: `${found.uri}#updates/${found.updatedAt.getTime()}`,
						actor: found.uri,
						object: document,
						to: [PUBLIC_AUDIENCE],
						cc: [followers],
					}),
					audience: { followersOf: found.id },
				},
			];
		}
		case "poll.voted":
			return pollVotePlans(ctx, event.pollId, event.accountId, event.choices);
		case "account.moved": {
			const found = await loadAccounts(db, [event.accountId, event.targetAccountId]);
			const account = found.get(event.accountId);
			const target = found.get(event.targetAccountId);
			if (!account || account.domain !== null || !target) return [];
			const followers = account.followersUrl ?? `${account.uri}/followers`;
			return [
				{
					accountId: account.id,
					activity: moveActivity({ actor: account.uri, target: target.uri, followers, at: new Date(event.at) }),
					audience: { followersOf: account.id },
				},
			];
		}
		case "account.deleted": {
			const found = await loadAccounts(db, [event.accountId]);
			const account = found.get(event.accountId);
			if (!account || account.domain !== null) return [];
			return [
				{
					accountId: account.id,
					activity: deleteActorActivity({ actor: account.uri }),
					audience: { allKnownInboxes: true },
				},
			];
		}
		case "report.forwarded":
			return planReportForward(ctx, event.reportId, event.domains);
	}
}

function statusDelivery(
	authorId: string,
	status: { visibility: string; inReplyToAccountId: string | null },
	activity: object,
	mentioned: string[],
): PlannedDelivery {
	const direct = status.visibility === "direct";
	return {
		accountId: authorId,
		activity: activity as ActivityDocument,
		audience: {
			...(direct ? {} : { followersOf: authorId }),
			accountIds: [...mentioned, ...(status.inReplyToAccountId && !direct ? [status.inReplyToAccountId] : [])],
		},
	};
}

/** An activity between a local actor and one remote account, sent to that account's own inbox. */
async function pair(
	ctx: ServiceContext,
	actorId: string,
	otherId: string,
	build: (actorUri: string, otherUri: string) => ActivityDocument,
): Promise<PlannedDelivery[]> {
	const found = await loadAccounts(ctx.db, [actorId, otherId]);
	const actor = found.get(actorId);
	const other = found.get(otherId);
	if (!actor || !other || actor.domain !== null || other.domain === null) return [];
	return [{ accountId: actor.id, activity: build(actor.uri, other.uri), audience: { personalInboxOf: [other.id] } }];
}

/** Like / Undo Like of a remote post by a local account, sent to the post's author. */
async function interaction(
	ctx: ServiceContext,
	actorId: string,
	statusId: string,
	build: (actorUri: string, statusUri: string) => ActivityDocument,
): Promise<PlannedDelivery[]> {
	const [found, target] = await Promise.all([loadAccounts(ctx.db, [actorId]), loadStatusWithAuthor(ctx.db, statusId)]);
	const actor = found.get(actorId);
	if (!actor || actor.domain !== null || !target || target.author.domain === null) return [];
	return [
		{
			accountId: actor.id,
			activity: build(actor.uri, target.status.uri),
			audience: { accountIds: [target.author.id] },
		},
	];
}

async function pollVotePlans(
	ctx: ServiceContext,
	pollId: string,
	accountId: string,
	choices: number[],
): Promise<PlannedDelivery[]> {
	const { db } = ctx;
	const [pollRows, votes, voters] = await db.batch([
		db.select().from(polls).where(eq(polls.id, pollId)).limit(1),
		db
			.select()
			.from(pollVotes)
			.where(and(eq(pollVotes.pollId, pollId), eq(pollVotes.accountId, accountId))),
		db.query.accounts.findMany({ where: (a, { eq }) => eq(a.id, accountId), limit: 1 }),
	]);
	const poll = pollRows[0];
	const voter = voters[0];
	if (!poll || !voter || voter.domain !== null) return [];
	const target = await loadStatusWithAuthor(db, poll.statusId);
	if (!target || target.author.domain === null) return [];
	return votes
		.filter((vote) => choices.includes(vote.choice))
		.map((vote) => ({
			accountId: voter.id,
			activity: pollVoteActivity({
				voteId: vote.id,
				actor: voter.uri,
				pollStatusUri: target.status.uri,
				pollAuthorUri: target.author.uri,
				optionTitle: poll.options[vote.choice]?.title ?? "",
			}),
			audience: { accountIds: [target.author.id] },
		}));
}
