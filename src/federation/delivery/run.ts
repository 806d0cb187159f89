import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { ServiceContext } from "../../context";
import { sqlAll, sqlRun } from "../../db/queries/raw";
import type { PendingInbox } from "../../db/schema";
import { newId } from "../../lib/ids";
import { refusedHosts } from "../domain-gates";
import { outboundFetch, preferredSpecs } from "../fetch";
import type { SignatureSpec, SigningKey } from "../signatures";
import { loadSigningKeys } from "../signing-keys";
import { deliveryRetryDelaySeconds } from "./backoff";
import { deliveryFailureStatement, hostOfUrl, markDomainsAvailable } from "./domains";
import { type DeliveryOutcome, outcomeOfError, outcomeOfStatus } from "./outcome";

/**
 * Inboxes one run sends to. Each costs an RSA signature (~1.5 ms of CPU in
 * production) plus the request; five keep a run within the Free plan's 10 ms
 * per invocation. A message with more inboxes due runs again at once.
 */
export const DELIVERIES_PER_RUN = 5;

/**
 * Attempts per inbox before it is given up. With deliveryRetryDelaySeconds
 * the last one comes about two and a half days after the first, as long as
 * Mastodon keeps trying.
 */
export const MAX_DELIVERY_ATTEMPTS = 16;

/** An account whose keys are not made yet (its key job is queued) is tried again after this. */
const NO_KEYS_DELAY_MS = 60 * 1000;

/** POSTs one signed activity; resolves with the status or throws an error carrying a `code` (FetchError). */
export type ActivitySender = (
	inbox: string,
	body: string,
	signer: { accountId: string; key: SigningKey; spec: SignatureSpec | undefined },
) => Promise<{ status: number }>;

/** Signs with the account's RSA key (one signature; a 401 is retried once with the other scheme) and POSTs. */
export function httpSender(ctx: ServiceContext): ActivitySender {
	return async (inbox, body, signer) => {
		const response = await outboundFetch(ctx, inbox, {
			method: "POST",
			body,
			signAs: { accountId: signer.accountId },
			signingKey: signer.key,
			spec: signer.spec,
		});
		return { status: response.status };
	};
}

export interface DeliveryRun {
	/** done: nothing left, or another run owns the row now; due: more inboxes are due now; later: next due at `retryAt`. */
	state: "done" | "due" | "later";
	retryAt?: number;
	delivered: number;
	retrying: number;
	dropped: number;
}

interface DeliveryRow {
	id: string;
	uri: string;
	accountId: string;
	type: string;
	body: string;
	inboxes: string;
	version: number;
}

/** Hosts among `hosts` marked unavailable (a seek that finds nothing reads no row). */
async function unavailableHosts(ctx: ServiceContext, hosts: string[]): Promise<Set<string>> {
	if (hosts.length === 0) return new Set();
	const rows = await ctx.db.all<{ domain: string }>(
		sql`select domain from domain_delivery_status where domain in (select value from json_each(${JSON.stringify(hosts)}))
			and unavailable_since is not null`,
	);
	return new Set(rows.map((r) => r.domain));
}

export function nextDue(pending: PendingInbox[], now: number): number | null {
	if (pending.length === 0) return null;
	return Math.min(...pending.map((p) => p.retryAt ?? now));
}

function stateOf(pending: PendingInbox[], now: number, counts: Omit<DeliveryRun, "state" | "retryAt">): DeliveryRun {
	const next = nextDue(pending, now);
	if (next === null) return { state: "done", ...counts };
	return next <= now ? { state: "due", ...counts } : { state: "later", retryAt: next, ...counts };
}

/** Saves the inboxes still owed, unless another run saved first (then it owns the row). */
function saveStatement(ctx: ServiceContext, row: DeliveryRow, pending: PendingInbox[], now: number) {
	const next = nextDue(pending, now);
	if (next === null) {
		return sqlAll<{ id: string }>(
			ctx.db,
			sql`delete from outbox_activities where id = ${row.id} and version = ${row.version} returning id`,
		);
	}
	return sqlAll<{ id: string }>(
		ctx.db,
		sql`update outbox_activities set inboxes = ${JSON.stringify(pending)}, next_at = ${next}, version = version + 1
			where id = ${row.id} and version = ${row.version} returning id`,
	);
}

/**
 * One run of a stored delivery: sends the activity to at most `budget`
 * inboxes that are due, in parallel, then saves in one batch which inboxes
 * are still owed (failures with Mastodon-like backoff, per inbox), the hosts'
 * health, and what was given up (in `dead_letters`). A run that dies before
 * saving leaves the row as it was: the same inboxes get the same activity
 * (same id) again, which receivers record once.
 */
export async function runDelivery(
	ctx: ServiceContext,
	id: string,
	options: { budget?: number; send?: ActivitySender; now?: number } = {},
): Promise<DeliveryRun> {
	const now = options.now ?? Date.now();
	const counts = { delivered: 0, retrying: 0, dropped: 0 };
	const [row] = await ctx.db.all<DeliveryRow>(
		sql`select id, uri, account_id as accountId, type, body, inboxes, version from outbox_activities where id = ${id}`,
	);
	if (!row) return { state: "done", ...counts };
	const pending = JSON.parse(row.inboxes) as PendingInbox[];
	const due = pending.filter((p) => (p.retryAt ?? 0) <= now).slice(0, options.budget ?? DELIVERIES_PER_RUN);
	if (due.length === 0) {
		if (pending.length === 0) await saveStatement(ctx, row, [], now);
		return stateOf(pending, now, counts);
	}
	const hosts = [...new Set(due.map((p) => hostOfUrl(p.inbox)).filter((h): h is string => h !== null))];
	const [specs, keys, unavailable, refused] = await Promise.all([
		preferredSpecs(ctx, hosts),
		loadSigningKeys(ctx, row.accountId),
		unavailableHosts(ctx, hosts),
		refusedHosts(ctx, hosts),
	]);
	if (!keys) {
		const later = pending.map((p) => (due.includes(p) ? { ...p, retryAt: now + NO_KEYS_DELAY_MS } : p));
		await saveStatement(ctx, row, later, now);
		return stateOf(later, now, counts);
	}
	const send = options.send ?? httpSender(ctx);
	const outcomes = await Promise.all(
		due.map(async (p): Promise<{ outcome: DeliveryOutcome; answered: boolean; detail: string }> => {
			const host = hostOfUrl(p.inbox);
			if (!host) return { outcome: "permanent_failure", answered: false, detail: "not a URL" };
			// Suspended since the delivery was planned: dropped, not kept for a replay.
			if (refused.has(host)) return { outcome: "permanent_failure", answered: false, detail: "blocked by this server" };
			// Failing for a week: skipped until the host is heard from again, as Mastodon does.
			if (unavailable.has(host)) return { outcome: "permanent_failure", answered: false, detail: "host unavailable" };
			try {
				const response = await send(p.inbox, row.body, {
					accountId: row.accountId,
					key: keys.rsa,
					spec: specs.get(host),
				});
				return { outcome: outcomeOfStatus(response.status), answered: true, detail: `HTTP ${response.status}` };
			} catch (error) {
				const code = (error as { code?: string }).code;
				return { outcome: outcomeOfError(code), answered: false, detail: (error as Error).message ?? String(error) };
			}
		}),
	);

	const answered = new Set<string>();
	/** Failing hosts and what the latest attempt met, for the admin dashboard. */
	const failing = new Map<string, string>();
	const givenUp: PendingInbox[] = [];
	const next: PendingInbox[] = pending.filter((p) => !due.includes(p));
	due.forEach((p, i) => {
		const { outcome, answered: didAnswer, detail } = outcomes[i] as (typeof outcomes)[number];
		const host = hostOfUrl(p.inbox);
		// A host that answered is reachable, whatever it said (a 5xx is not an answer to count on).
		if (host && didAnswer && outcome !== "retry") answered.add(host);
		if (outcome === "delivered") {
			counts.delivered++;
			return;
		}
		if (outcome === "permanent_failure") {
			counts.dropped++;
			console.warn(`Delivery of ${row.uri} to ${p.inbox} refused for good: ${detail}`);
			return;
		}
		if (host) failing.set(host, detail);
		const attempts = p.attempts + 1;
		if (attempts >= MAX_DELIVERY_ATTEMPTS) {
			counts.dropped++;
			givenUp.push({ inbox: p.inbox, attempts });
			console.warn(`Delivery of ${row.uri} to ${p.inbox} given up after ${attempts} attempts: ${detail}`);
			return;
		}
		counts.retrying++;
		const delay = deliveryRetryDelaySeconds(attempts) * 1000;
		console.warn(
			`Delivery of ${row.uri} to ${p.inbox} failed (attempt ${attempts}), retried in ${delay / 1000}s: ${detail}`,
		);
		next.push({ inbox: p.inbox, attempts, retryAt: now + delay });
	});

	const statements: BatchItem<"sqlite">[] = [saveStatement(ctx, row, next, now)];
	if (answered.size > 0) statements.push(markDomainsAvailable(ctx.db, [...answered]));
	for (const [host, detail] of failing) {
		statements.push(deliveryFailureStatement(ctx.db, host, new Date(now), detail));
	}
	if (givenUp.length > 0) statements.push(...givenUpStatements(ctx, row, givenUp, now));
	const [saved] = (await ctx.db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]])) as [
		{ id: string }[],
		...unknown[],
	];
	if (saved.length === 0) return { state: "done", ...counts };
	return stateOf(next, now, counts);
}

/**
 * What was given up stays replayable: each inbox gets a parked delivery of
 * its own (the same activity, no `next_at`, so no sweep or run picks it up),
 * and a dead letter whose body is that delivery's queue message. Replaying
 * the letter sends the message, and the delivery starts over with fresh
 * attempts; until then the housekeeping keeps the parked row.
 */
function givenUpStatements(
	ctx: ServiceContext,
	row: DeliveryRow,
	givenUp: PendingInbox[],
	now: number,
): BatchItem<"sqlite">[] {
	const letters = givenUp.map((p) => {
		const deliveryId = newId(now);
		return {
			id: newId(now),
			deliveryId,
			inboxes: JSON.stringify([{ inbox: p.inbox, attempts: 0 }]),
			body: { type: "deliver", deliveryId, uri: row.uri, inbox: p.inbox },
			attempts: p.attempts,
		};
	});
	const json = JSON.stringify(letters);
	return [
		sqlRun(
			ctx.db,
			sql`insert into outbox_activities (id, uri, account_id, type, body, created_at, inboxes, next_at, version)
			select json_extract(value, '$.deliveryId'), ${row.uri}, ${row.accountId}, ${row.type}, ${row.body}, ${now},
				json_extract(value, '$.inboxes'), null, 0
			from json_each(${json})`,
		),
		sqlRun(
			ctx.db,
			sql`insert into dead_letters (id, queue, body, attempts, created_at)
			select json_extract(value, '$.id'), 'tern-delivery', json_extract(value, '$.body'),
				json_extract(value, '$.attempts'), ${now}
			from json_each(${json})`,
		),
	];
}
