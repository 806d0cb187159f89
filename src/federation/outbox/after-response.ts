import { serviceContext } from "../../context";
import type { AppContext } from "../../http/context";
import { runAfterResponse } from "../../queues/background";
import { takePublishedEvents } from "./events";
import { relayEvents } from "./relay";

/** Relays the outbox events a request recorded, once its response is on its way. */
export function relayAfterResponse(ctx: AppContext): void {
	const ids = takePublishedEvents(ctx.db);
	if (ids.length === 0) return;
	ctx.exec.waitUntil(runAfterResponse(ctx.env, "outbox", (db) => relayEvents(serviceContext(ctx.env, db), ids)));
}
