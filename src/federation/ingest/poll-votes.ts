import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sqlRun } from "../../db/queries/raw";
import { type Account, type Poll, pollVotes } from "../../db/schema";
import { newId } from "../../lib/ids";
import { isPollExpired } from "../../serializers/mastodon/poll";
import type { ParsedPost } from "../parse";

/**
 * A vote from another server arrives as a Create of a Note named after the
 * option, replying to the poll, one activity per chosen option (Mastodon's
 * format). Each is recorded once; invalid or late votes are dropped.
 */
export async function recordRemoteVote(db: Db, voter: Account, poll: Poll, vote: ParsedPost): Promise<boolean> {
	if (poll.accountId === voter.id || isPollExpired(poll)) return false;
	const choice = poll.options.findIndex((option) => option.title === vote.name);
	if (choice < 0) return false;
	const earlier = await db
		.select({ choice: pollVotes.choice })
		.from(pollVotes)
		.where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.accountId, voter.id)));
	if (earlier.some((row) => row.choice === choice)) return false;
	if (earlier.length > 0 && !poll.multiple) return false;
	const now = Date.now();
	const path = `$[${choice}].votesCount`;
	await db.batch([
		sqlRun(
			db,
			sql`insert or ignore into poll_votes (id, poll_id, account_id, choice, uri, created_at)
			values (${newId(now)}, ${poll.id}, ${voter.id}, ${choice}, ${vote.id}, ${now})`,
		),
		sqlRun(
			db,
			sql`update polls set options = json_set(options, ${path}, coalesce(json_extract(options, ${path}), 0) + 1),
			votes_count = votes_count + 1, voters_count = coalesce(voters_count, 0) + ${earlier.length === 0 ? 1 : 0},
			updated_at = ${now} where id = ${poll.id}`,
		),
	]);
	return true;
}
