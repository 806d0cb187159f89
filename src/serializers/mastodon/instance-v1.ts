import type { InstanceConfig } from "../../config";
import { ACCOUNT_LIMITS } from "../../lib/limits";
import { escapeHtml } from "../../lib/text/html";
import type { InstanceFacts } from "../../services/instance/facts";
import { VERSION_STRING } from "../../version";
import { MISSING_HEADER_PATH, serializeAccount } from "./account";
import type { MastodonV1Instance } from "./instance-entities";
import { configurationLimits, streamingOrigin } from "./instance-limits";
import { serializeRule } from "./rule";

export function serializeV1Instance(config: InstanceConfig, facts: InstanceFacts): MastodonV1Instance {
	return {
		uri: config.domain,
		title: config.title,
		short_description: config.description,
		description: escapeHtml(config.description),
		email: config.contactEmail,
		version: VERSION_STRING,
		urls: { streaming_api: streamingOrigin(config) },
		stats: { user_count: facts.userCount, status_count: facts.statusCount, domain_count: facts.domainCount },
		thumbnail: `${config.origin}${MISSING_HEADER_PATH}`,
		languages: ["en"],
		registrations: config.registrationMode !== "closed",
		approval_required: config.registrationMode === "approval",
		invites_enabled: false,
		configuration: { accounts: { max_featured_tags: ACCOUNT_LIMITS.maxFeaturedTags }, ...configurationLimits() },
		contact_account: facts.contactAccount ? serializeAccount(facts.contactAccount, config) : null,
		rules: facts.rules.map(serializeRule),
	};
}
