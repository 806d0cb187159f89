import { notFound } from "../../http/errors";
import type { AppRouter } from "../../http/router";
import { findLocalAccountByUsername } from "../../services/accounts/local-accounts";
import { receiveActivity } from "./receive";

/** The personal inboxes of local accounts and the shared inbox. */
export function inboxRoutes(router: AppRouter): void {
	router.post("/users/:name/inbox", async (request, ctx) => {
		const account = await findLocalAccountByUsername(ctx.db, String(request.params.name ?? ""));
		if (!account || account.suspendedAt) throw notFound();
		return receiveActivity(request, ctx, account);
	});
	router.post("/inbox", (request, ctx) => receiveActivity(request, ctx, null));
}
