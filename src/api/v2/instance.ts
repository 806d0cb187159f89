import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeInstance } from "../../serializers/mastodon/instance";
import { instanceFacts } from "../../services/instance/facts";
import { domainPolicy } from "../../services/moderation/domain-policy";
import { vapidPublicKey } from "../../services/push/vapid-key";

export function instanceV2Routes(router: AppRouter): void {
	router.get("/api/v2/instance", async (_request, ctx) => {
		const [facts, vapidKey, policy] = await Promise.all([
			instanceFacts(ctx.db),
			vapidPublicKey(ctx.db, ctx.env.KEY_ENCRYPTION_SECRET),
			domainPolicy(ctx),
		]);
		return json(serializeInstance(ctx.config, facts, vapidKey, { limitedFederation: policy.limited }), {
			headers: { "Cache-Control": "public, max-age=60" },
		});
	});
}
