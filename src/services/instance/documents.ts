import { eq } from "drizzle-orm";
import type { InstanceConfig } from "../../config";
import type { Db } from "../../db/client";
import { instanceSettings } from "../../db/schema";
import { defaultPrivacyPolicy } from "./privacy-policy";

export interface InstanceDocument {
	/** Markdown, as the admin wrote it. */
	text: string;
	/** When the admin last saved it; null for a default or an empty text. */
	updatedAt: Date | null;
}

/**
 * The privacy policy and the extended description, with when they were last
 * saved (what `/api/v1/instance/privacy_policy` and `extended_description`
 * report). The privacy policy has a default; the description may be empty.
 */
export async function instanceDocument(
	db: Db,
	config: InstanceConfig,
	key: "privacyPolicy" | "extendedDescription",
): Promise<InstanceDocument> {
	const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, key)).limit(1);
	const text = row?.value.trim() ?? "";
	if (text) return { text, updatedAt: row?.updatedAt ?? null };
	return { text: key === "privacyPolicy" ? defaultPrivacyPolicy(config) : "", updatedAt: null };
}
