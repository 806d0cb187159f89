import type { Account } from "../../db/schema";
import { readBodyBytes } from "../../http/body";
import type { AppContext } from "../../http/context";
import { ApiError, badRequest } from "../../http/errors";
import { runAfterResponse } from "../../queues/background";
import { signerIsActor } from "../actors";
import { inboxRefuses } from "../domain-gates";
import { ParseError, parseActivity } from "../parse";
import { isObject } from "../parse/values";
import { processReceivedActivity } from "./process";
import { recordInboxActivity } from "./store";
import { verifyInboxSignature } from "./verify";

/** Far above any real activity (Mastodon caps at 1 MiB as well). */
export const INBOX_BODY_LIMIT = 1024 * 1024;

/**
 * Accepts one POST to an inbox: size cap, JSON, signature (the key's owner
 * must be the activity's actor), dedupe by activity id. The activity is
 * stored before the 202 and processed right after it (waitUntil); whatever a
 * dying isolate leaves unprocessed, the sweep finds. Anything refused
 * changes nothing.
 */
export async function receiveActivity(request: Request, ctx: AppContext, recipient: Account | null): Promise<Response> {
	const bytes = await readBodyBytes(request, INBOX_BODY_LIMIT);
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		throw badRequest("Malformed JSON");
	}
	if (!isObject(json)) throw badRequest("An activity must be a JSON object");
	let activity: ReturnType<typeof parseActivity>;
	try {
		activity = parseActivity(json);
	} catch (error) {
		if (error instanceof ParseError) throw new ApiError(400, error.message);
		throw error;
	}

	// A suspended domain's activities have no effect; 202 keeps its server from retrying them.
	if (await inboxRefuses(ctx, activity.actor)) return accepted();
	const verified = await verifyInboxSignature(ctx, request, bytes, activity);
	if (verified === "ignore") return accepted();
	if (!signerIsActor(verified, activity.actor)) {
		throw new ApiError(401, "The signature's key does not belong to the activity's actor");
	}

	const recipientId = recipient?.id ?? null;
	if (await recordInboxActivity(ctx.db, activity, recipientId)) {
		ctx.exec.waitUntil(
			runAfterResponse(ctx.env, "inbox", (db) => processReceivedActivity(ctx.env, db, activity, recipientId)),
		);
	}
	return accepted();
}

function accepted(): Response {
	return new Response(null, { status: 202 });
}
