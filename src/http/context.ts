import type { IRequest } from "itty-router";
import type { InstanceConfig } from "../config";
import type { Db } from "../db/client";

/** What every handler gets besides the request: bindings, the database and the settings. */
export interface AppContext {
	env: Env;
	exec: ExecutionContext;
	db: Db;
	config: InstanceConfig;
}

export type AppRequest = IRequest;
export type Handler = (request: AppRequest, ctx: AppContext) => Response | Promise<Response>;
