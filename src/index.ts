import { handleFetch } from "./http/app";
import { handleQueue } from "./queues/consumer";
import { handleScheduled } from "./scheduled";

export default {
	fetch: handleFetch,
	queue: handleQueue,
	scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
