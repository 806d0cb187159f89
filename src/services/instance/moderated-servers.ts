import type { Db } from "../../db/client";

export interface ModeratedServer {
	domain: string;
	/** What the admin did: "silence" (limited) or "suspend". */
	severity: "silence" | "suspend";
	/** The reason the admin chose to show, if any. */
	comment: string | null;
}

/**
 * The servers this instance moderates, as the about page lists them when the
 * admin chooses to show them. Tern has no domain blocks yet (they come with
 * the moderation tools), so there is nothing to list: the list is truly
 * empty, and this is where the about page will read them from.
 */
export async function listModeratedServers(_db: Db): Promise<ModeratedServer[]> {
	return [];
}
