import { handleFetch } from "./http/app";
import { handleQueue } from "./queues/consumer";
import { handleScheduled } from "./scheduled";

export { AccountStream } from "./streaming/account-stream";

export default {
	fetch: handleFetch,
	queue: handleQueue,
	scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
