import type { InstanceConfig } from "../../config";
import type { MastodonStatus } from "../../serializers/mastodon/entities";

/**
 * What the Worker hands an account's streaming object. Bodies carry ids and,
 * where the data was at hand, the rendered status; the object personalizes
 * for its own account (viewer flags, filters, blocks, mutes, lists) and
 * renders itself only what depends on the viewer in ways the sender cannot
 * know (notifications, conversations, boosts and edits).
 */
export type StreamDelivery =
	| StatusDelivery
	| DeleteDelivery
	| NotificationDelivery
	| ConversationDelivery
	| PlainEventDelivery
	| { type: "context.changed" }
	| { type: "kill"; tokenId: string };

/** Where a status event goes on the receiving account's side. */
export interface StatusAudience {
	/** Set when the entry was written to (or is in) the account's home feed: the author shown first, for lists. */
	home: { entryAuthorId: string } | null;
	/** The public and hashtag stream keys of the status the account subscribes to. */
	streams: string[];
}

export interface StatusDelivery extends StatusAudience {
	type: "status";
	event: "update" | "status.update";
	statusId: string;
	/**
	 * For a post nobody could have interacted with yet (new, not a boost): the
	 * status rendered anonymously, and its conversation, from which the object
	 * derives its viewer's copy without reading D1. Absent for boosts and
	 * edits, which each viewer's object renders for itself.
	 */
	fresh: { status: MastodonStatus; conversationId: string | null } | null;
	config: InstanceConfig;
}

export interface DeleteDelivery {
	type: "delete";
	/** The deleted status, sent on the public and hashtag `streams`. */
	statusId: string;
	/** Entries of the account's home feed that go with it (the status, boosts of it), each with its shown author. */
	homeEntries: { statusId: string; entryAuthorId: string }[];
	streams: string[];
}

export interface NotificationDelivery {
	type: "notification";
	notificationId: string;
	config: InstanceConfig;
}

export interface ConversationDelivery {
	type: "conversation";
	/** The account_conversations row of the receiving account. */
	conversationId: string;
	config: InstanceConfig;
}

/** Events sent as they are to the `user` stream. */
export interface PlainEventDelivery {
	type: "event";
	event: "filters_changed" | "announcement" | "announcement.reaction" | "announcement.delete";
	/** The payload string, absent for filters_changed (as Mastodon sends it). */
	payload?: string;
}

/** The RPC surface of an account's streaming object, as the Worker calls it. */
export interface AccountStreamStub {
	deliver(accountId: string, delivery: StreamDelivery): Promise<void>;
	/** Delivers to `self` and forwards the other deliveries (see AccountStream.fanOut). */
	fanOut(self: string, deliveries: [string, StreamDelivery][]): Promise<void>;
}
