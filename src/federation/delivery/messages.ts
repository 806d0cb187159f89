/** One delivery of a stored activity (outbox_activities.id) to one inbox. */
export interface DeliverMessage {
	type: "deliver";
	activityId: string;
	inbox: string;
}

export function isDeliverMessage(body: unknown): body is DeliverMessage {
	const value = body as Partial<DeliverMessage> | null;
	return (
		typeof value === "object" &&
		value !== null &&
		value.type === "deliver" &&
		typeof value.activityId === "string" &&
		typeof value.inbox === "string"
	);
}
