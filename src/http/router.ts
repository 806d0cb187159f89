import { Router, type RouterType } from "itty-router";
import type { AppContext, AppRequest } from "./context";

export type AppRouter = RouterType<AppRequest, [AppContext], Response>;

export function createRouter(): AppRouter {
	return Router<AppRequest, [AppContext], Response>();
}
