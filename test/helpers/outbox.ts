import { env } from "cloudflare:workers";
import { inArray } from "drizzle-orm";
import type { Db } from "../../src/db/client";
import { outboxEvents } from "../../src/db/schema";
import { type OutboxEvent, takePublishedEvents } from "../../src/federation/outbox/events";
import { handleFetch } from "../../src/http/app";

/**
 * The outbox events published through `handle` since the last call that
 * were stored (their batch committed), in order. They stay stored: nothing
 * relays them unless the test does.
 */
export async function takeEvents(handle: Db): Promise<OutboxEvent[]> {
	const ids = takePublishedEvents(handle);
	if (ids.length === 0) return [];
	const rows = await handle.select().from(outboxEvents).where(inArray(outboxEvents.id, ids)).orderBy(outboxEvents.id);
	return rows.map((row) => row.event as OutboxEvent);
}

/**
 * Runs a request through the Worker's fetch handler and waits for the work
 * it left for after the response (waitUntil): its outbox relay, an inbox
 * activity's processing. `exports.default.fetch` does not wait for those.
 */
export async function fetchSettled(request: Request, bindings: Env = env): Promise<Response> {
	const pending: Promise<unknown>[] = [];
	const exec = {
		waitUntil: (promise: Promise<unknown>) => void pending.push(promise),
		passThroughOnException: () => {},
		props: {},
	} as unknown as ExecutionContext;
	const response = await handleFetch(request, bindings, exec);
	await Promise.all(pending);
	return response;
}
