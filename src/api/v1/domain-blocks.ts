import { requireUser } from "../../http/auth";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { blockDomain, blockedDomains, unblockDomain } from "../../services/accounts/domain-blocks";

/** A member's own domain blocks (Mastodon's /api/v1/domain_blocks): a list of domain names. */
export function domainBlockRoutes(router: AppRouter): void {
	router.get("/api/v1/domain_blocks", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:blocks");
		const params = await readParams(request);
		const limit = Math.min(Math.max(params.integer("limit") ?? 100, 1), 200);
		return json((await blockedDomains(ctx.db, account.id)).slice(0, limit));
	});

	router.post("/api/v1/domain_blocks", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:blocks");
		const params = await readParams(request);
		await blockDomain(ctx.db, ctx.env, account, params.requiredString("domain", { maxLength: 253 }));
		return json({});
	});

	router.delete("/api/v1/domain_blocks", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:blocks");
		const params = await readParams(request);
		await unblockDomain(ctx.db, account, params.requiredString("domain", { maxLength: 253 }));
		return json({});
	});
}
