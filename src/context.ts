import { type InstanceConfig, instanceConfig } from "./config";
import { createDb, type Db } from "./db/client";

/**
 * What services, federation and queue consumers work with: the bindings, the
 * database and the instance settings. A request's AppContext is one; queue
 * consumers and the cron build one with `serviceContext`.
 */
export interface ServiceContext {
	env: Env;
	db: Db;
	config: InstanceConfig;
}

export function serviceContext(env: Env, db: Db = createDb(env.DB)): ServiceContext {
	return { env, db, config: instanceConfig(env) };
}
