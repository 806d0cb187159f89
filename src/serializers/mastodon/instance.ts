import type { InstanceConfig } from "../../config";
import { ACCOUNT_LIMITS } from "../../lib/limits";
import type { InstanceFacts } from "../../services/instance/facts";
import { STATUS_LIMITS } from "../../services/statuses/limits";
import { MASTODON_API_VERSION, VERSION_STRING } from "../../version";
import { MISSING_HEADER_PATH, serializeAccount } from "./account";
import type { MastodonInstance } from "./instance-entities";
import { configurationLimits, registrationMessage, streamingOrigin } from "./instance-limits";
import { serializeRule } from "./rule";

/**
 * Where the source of the running code is offered (AGPL §13). Tern has no
 * published repository address yet; until package.json names one, this is
 * the instance itself, whose operator must offer the source.
 */
function sourceUrl(config: InstanceConfig): string {
	return `${config.origin}/`;
}

export function serializeInstance(
	config: InstanceConfig,
	facts: InstanceFacts,
	vapidKey: string,
	options: { limitedFederation?: boolean } = {},
): MastodonInstance {
	return {
		domain: config.domain,
		title: config.title,
		version: VERSION_STRING,
		source_url: sourceUrl(config),
		description: config.description,
		usage: { users: { active_month: facts.activeMonth } },
		thumbnail: { url: `${config.origin}${MISSING_HEADER_PATH}` },
		icon: [],
		languages: ["en"],
		configuration: {
			urls: {
				about: `${config.origin}/about`,
				privacy_policy: `${config.origin}/privacy-policy`,
				terms_of_service: null,
				status: null,
				streaming: streamingOrigin(config),
			},
			accounts: {
				max_featured_tags: ACCOUNT_LIMITS.maxFeaturedTags,
				max_pinned_statuses: STATUS_LIMITS.maxPinned,
				max_display_name_length: ACCOUNT_LIMITS.maxDisplayNameLength,
				max_note_length: ACCOUNT_LIMITS.maxNoteLength,
				max_profile_fields: ACCOUNT_LIMITS.maxProfileFields,
				profile_field_name_limit: ACCOUNT_LIMITS.profileFieldNameLimit,
				profile_field_value_limit: ACCOUNT_LIMITS.profileFieldValueLimit,
				max_avatar_description_length: ACCOUNT_LIMITS.maxAvatarDescriptionLength,
				max_header_description_length: ACCOUNT_LIMITS.maxHeaderDescriptionLength,
			},
			...configurationLimits(),
			translation: { enabled: false },
			vapid: { public_key: vapidKey },
			limited_federation: options.limitedFederation ?? false,
		},
		registrations: {
			enabled: config.registrationMode !== "closed",
			approval_required: config.registrationMode === "approval",
			reason_required: config.registrationMode === "approval",
			message: registrationMessage(config.registrationMode),
			url: null,
			min_age: null,
		},
		api_versions: { mastodon: MASTODON_API_VERSION },
		contact: {
			email: config.contactEmail,
			account: facts.contactAccount ? serializeAccount(facts.contactAccount, config) : null,
		},
		rules: facts.rules.map(serializeRule),
	};
}
