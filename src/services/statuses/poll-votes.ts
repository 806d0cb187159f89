import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { type Account, type Poll, pollVotes } from "../../db/schema";
import { publishOutboxEvent } from "../../federation/federator";
import { ValidationError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { isPollExpired } from "../../serializers/mastodon/poll";
import { indexOnInteraction } from "../search/indexing";

/**
 * Records the account's vote. The per-option counts are bumped inside one
 * statement (json_set), so concurrent votes never overwrite each other.
 */
export async function voteInPoll(ctx: { db: Db }, account: Account, poll: Poll, choices: number[]): Promise<void> {
	const { db } = ctx;
	if (poll.accountId === account.id) throw new ValidationError("poll", "You cannot vote in your own poll");
	if (isPollExpired(poll)) throw new ValidationError("poll", "The poll has already ended");
	const unique = [...new Set(choices)];
	if (unique.length === 0) throw new ValidationError("choices", "Choices can't be blank");
	if (unique.length !== choices.length) throw new ValidationError("choices", "Choices must be distinct");
	if (!poll.multiple && unique.length > 1) throw new ValidationError("choices", "This poll allows only one choice");
	for (const choice of unique) {
		if (!Number.isInteger(choice) || choice < 0 || choice >= poll.options.length) {
			throw new ValidationError("choices", `Choice ${choice} is not an option of this poll`);
		}
	}
	const existing = await db
		.select({ id: pollVotes.id })
		.from(pollVotes)
		.where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.accountId, account.id)))
		.limit(1);
	if (existing.length > 0) throw new ValidationError("poll", "You have already voted on this poll");
	const now = Date.now();
	let options = sql`options`;
	for (const choice of unique) {
		const path = `$[${choice}].votesCount`;
		options = sql`json_set(${options}, ${path}, coalesce(json_extract(options, ${path}), 0) + 1)`;
	}
	await db.batch([
		sqlRun(
			db,
			sql`insert into poll_votes (id, poll_id, account_id, choice, created_at)
			select json_extract(value, '$.id'), ${poll.id}, ${account.id}, json_extract(value, '$.choice'), ${now}
			from json_each(${JSON.stringify(unique.map((choice) => ({ id: newId(now), choice })))})`,
		),
		sqlRun(
			db,
			sql`update polls set options = ${options}, votes_count = votes_count + ${unique.length},
			voters_count = coalesce(voters_count, 0) + 1, updated_at = ${now} where id = ${poll.id}`,
		),
		publishOutboxEvent(db, { type: "poll.voted", pollId: poll.id, accountId: account.id, choices: unique }),
		...(await indexOnInteraction(db, account, { id: poll.statusId })),
	]);
}
