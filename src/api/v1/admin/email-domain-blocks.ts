import type { EmailDomainBlock } from "../../../db/schema";
import type { AppContext, AppRequest } from "../../../http/context";
import { ApiError, notFound } from "../../../http/errors";
import { pagedJson } from "../../../http/paged-json";
import { pageQuery } from "../../../http/pagination";
import { readParams } from "../../../http/params";
import { json } from "../../../http/responses";
import type { AppRouter } from "../../../http/router";
import { adminScopes, requireStaff } from "../../../http/staff-auth";
import { isId } from "../../../lib/ids";
import { serializeAdminEmailDomainBlock } from "../../../serializers/mastodon/admin";
import {
	createEmailDomainBlock,
	EmailDomainBlockExists,
	emailDomainBlockHistory,
	findEmailDomainBlock,
	listEmailDomainBlocks,
	removeEmailDomainBlock,
} from "../../../services/moderation/email-domain-blocks";

const SCOPES = adminScopes("email_domain_blocks");

async function target(request: AppRequest, ctx: AppContext): Promise<EmailDomainBlock> {
	const id = request.params.id ?? "";
	const block = isId(id) ? await findEmailDomainBlock(ctx.db, id) : undefined;
	if (!block) throw notFound();
	return block;
}

async function views(ctx: AppContext, blocks: EmailDomainBlock[]) {
	const history = await emailDomainBlockHistory(
		ctx.db,
		blocks.map((b) => b.id),
	);
	return blocks.map((b) => serializeAdminEmailDomainBlock(b, history.get(b.id) ?? []));
}

/** Mastodon's admin email domain blocks API: sign-ups from these email domains are refused. */
export function adminEmailDomainBlockRoutes(router: AppRouter): void {
	router.get("/api/v1/admin/email_domain_blocks", async (request, ctx) => {
		await requireStaff(request, ctx, "manageBlocks", ...SCOPES.read);
		const query = pageQuery(await readParams(request), { defaultLimit: 100, maxLimit: 200 });
		const page = (await listEmailDomainBlocks(ctx.db))
			.sort((a, b) => (a.id < b.id ? 1 : -1))
			.filter((b) => !query.maxId || b.id < query.maxId)
			.slice(0, query.limit);
		return pagedJson(
			request.url,
			query,
			await views(ctx, page),
			page.map((b) => b.id),
		);
	});

	router.get("/api/v1/admin/email_domain_blocks/:id", async (request, ctx) => {
		await requireStaff(request, ctx, "manageBlocks", ...SCOPES.read);
		const [view] = await views(ctx, [await target(request, ctx)]);
		return json(view);
	});

	router.post("/api/v1/admin/email_domain_blocks", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageBlocks", ...SCOPES.write);
		const params = await readParams(request);
		try {
			const block = await createEmailDomainBlock(ctx.db, moderator, {
				domain: params.requiredString("domain", { maxLength: 300 }),
				allowWithApproval: params.boolean("allow_with_approval"),
			});
			const [view] = await views(ctx, [block]);
			return json(view);
		} catch (error) {
			if (error instanceof EmailDomainBlockExists)
				throw new ApiError(422, "Validation failed: Domain has already been taken");
			throw error;
		}
	});

	router.delete("/api/v1/admin/email_domain_blocks/:id", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageBlocks", ...SCOPES.write);
		await removeEmailDomainBlock(ctx.db, moderator, await target(request, ctx));
		return json({});
	});
}
