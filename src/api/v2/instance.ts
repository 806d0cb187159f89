import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { serializeInstance } from "../../serializers/mastodon/instance";
import { instanceFacts } from "../../services/instance";

export function instanceV2Routes(router: AppRouter): void {
	router.get("/api/v2/instance", async (_request, ctx) =>
		json(serializeInstance(ctx.config, await instanceFacts(ctx.db)), {
			headers: { "Cache-Control": "public, max-age=60" },
		}),
	);
}
