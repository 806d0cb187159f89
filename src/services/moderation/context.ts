import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";

/**
 * What moderation works with: the database, the settings, and the queues it
 * tells other servers and background jobs through. A request's AppContext,
 * a queue consumer's ServiceContext and the CLI's bindings all fit.
 */
export interface ModerationContext {
	env: Pick<Env, "DB" | "DELIVERY_QUEUE" | "JOBS_QUEUE">;
	db: Db;
	config: InstanceConfig;
}
