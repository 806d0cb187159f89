import type { InstanceRule } from "../../db/schema";
import type { MastodonRule } from "./entities";

export function serializeRule(rule: InstanceRule): MastodonRule {
	return { id: rule.id, text: rule.text, hint: rule.hint };
}
