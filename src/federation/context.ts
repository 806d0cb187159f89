import { type InstanceConfig, instanceConfig } from "../config";
import { createDb, type Db } from "../db/client";

/** What federation code needs; an AppContext satisfies it, and queue consumers build one with fromEnv. */
export interface FederationContext {
	env: Env;
	db: Db;
	config: InstanceConfig;
}

export function federationContext(env: Env, db: Db = createDb(env.DB)): FederationContext {
	return { env, db, config: instanceConfig(env) };
}
