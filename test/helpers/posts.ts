import { env } from "cloudflare:workers";
import type { Account, Status, Visibility } from "../../src/db/schema";
import { favouriteStatus } from "../../src/services/statuses/interactions";
import { createStatus } from "../../src/services/statuses/posting";
import { config, db } from "./users";

/** A post written through the posting service, as the statuses API would. */
export function post(account: Account, text: string, visibility: Visibility = "public"): Promise<Status> {
	return createStatus(
		{ env, db: db(), config: config() },
		{ account, defaultVisibility: "public", applicationId: null, text, visibility },
	);
}

export function favourite(account: Account, status: Status): Promise<void> {
	return favouriteStatus({ env, db: db() }, account, status);
}
