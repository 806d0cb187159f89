import type { InstanceConfig } from "../../config";
import type { Account, AccountConversation } from "../../db/schema";
import { serializeAccount } from "./account";
import type { MastodonConversation, MastodonStatus } from "./entities";

export function serializeConversation(
	row: AccountConversation,
	participants: Account[],
	lastStatus: MastodonStatus | null,
	config: InstanceConfig,
): MastodonConversation {
	return {
		id: row.id,
		unread: row.unread,
		accounts: participants.map((account) => serializeAccount(account, config)),
		last_status: lastStatus,
	};
}
