import type { PushSubscription } from "../../db/schema";
import { PUSH_ALERT_TYPES } from "../../services/push/subscriptions";
import type { MastodonWebPushSubscription } from "./push-entities";

/** Every alert is listed (the entity requires them); those never sent are off. */
export function serializeWebPushSubscription(row: PushSubscription, serverKey: string): MastodonWebPushSubscription {
	const alerts: Record<string, boolean> = {};
	for (const type of PUSH_ALERT_TYPES) alerts[type] = row.alerts[type] === true;
	return {
		id: row.id,
		endpoint: row.endpoint,
		standard: row.standard,
		alerts,
		server_key: serverKey,
		policy: row.policy,
	};
}
