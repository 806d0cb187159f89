import { requireUser } from "../../http/auth";
import { pagedJson } from "../../http/paged-json";
import { pageQuery } from "../../http/pagination";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import {
	blockDomainForMember,
	memberDomainBlocksPage,
	unblockDomainForMember,
} from "../../services/moderation/member-domain-blocks";

/** A member's own blocks of whole servers. */
export function domainBlockRoutes(router: AppRouter): void {
	router.get("/api/v1/domain_blocks", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:blocks");
		const query = pageQuery(await readParams(request), { defaultLimit: 100, maxLimit: 200 });
		const rows = await memberDomainBlocksPage(ctx.db, account.id, query);
		return pagedJson(
			request.url,
			query,
			rows.map((row) => row.domain),
			rows.map((row) => row.id),
		);
	});

	router.post("/api/v1/domain_blocks", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:blocks");
		const params = await readParams(request);
		await blockDomainForMember(ctx, account, params.requiredString("domain", { maxLength: 300 }));
		return json({});
	});

	router.delete("/api/v1/domain_blocks", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:blocks");
		const params = await readParams(request);
		await unblockDomainForMember(ctx, account, params.requiredString("domain", { maxLength: 300 }));
		return json({});
	});
}
