import type { IRequest } from "itty-router";
import type { ServiceContext } from "../context";

/** What every handler gets besides the request: a ServiceContext and the request's ExecutionContext. */
export interface AppContext extends ServiceContext {
	exec: ExecutionContext;
}

export type AppRequest = IRequest;
export type Handler = (request: AppRequest, ctx: AppContext) => Response | Promise<Response>;
