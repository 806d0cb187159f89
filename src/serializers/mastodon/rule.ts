import type { InstanceRule } from "../../db/schema";
import type { MastodonRule } from "./instance-entities";

export function serializeRule(rule: InstanceRule): MastodonRule {
	return { id: rule.id, text: rule.text, hint: rule.hint };
}
