/**
 * The delivery queue's message: a stored delivery (outbox_activities.id).
 * The row holds the activity and the inboxes still owed it, with their retry
 * state, so one message serves many inboxes and many runs.
 */
export interface DeliverMessage {
	type: "deliver";
	deliveryId: string;
}

/** An outbox event (outbox_events.id) whose relay never finished, handed over by the sweep. */
export interface RelayMessage {
	type: "relay";
	eventId: string;
}

/** What the queue carried before deliveries were stored per activity; still handled for messages sent then. */
export type LegacyDeliveryMessage =
	| { type: "deliver"; activityId: string; inbox: string }
	| { type: "outbox.event"; event: { type: string } & Record<string, unknown> };

export function isDeliverMessage(body: unknown): body is DeliverMessage {
	const value = body as Partial<DeliverMessage> | null;
	return (
		typeof value === "object" && value !== null && value.type === "deliver" && typeof value.deliveryId === "string"
	);
}

export function isRelayMessage(body: unknown): body is RelayMessage {
	const value = body as Partial<RelayMessage> | null;
	return typeof value === "object" && value !== null && value.type === "relay" && typeof value.eventId === "string";
}

export function isLegacyDeliveryMessage(body: unknown): body is LegacyDeliveryMessage {
	const value = body as Record<string, unknown> | null;
	if (typeof value !== "object" || value === null) return false;
	if (value.type === "deliver") return typeof value.activityId === "string" && typeof value.inbox === "string";
	return value.type === "outbox.event" && typeof (value.event as { type?: unknown } | undefined)?.type === "string";
}
