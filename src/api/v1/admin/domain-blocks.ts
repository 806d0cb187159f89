import type { DomainBlock, DomainBlockSeverity } from "../../../db/schema";
import { DOMAIN_BLOCK_SEVERITIES } from "../../../db/schema";
import type { AppContext, AppRequest } from "../../../http/context";
import { ApiError, notFound } from "../../../http/errors";
import { pagedJson } from "../../../http/paged-json";
import { pageQuery } from "../../../http/pagination";
import { type Params, readParams } from "../../../http/params";
import { json } from "../../../http/responses";
import type { AppRouter } from "../../../http/router";
import { adminScopes, requireStaff } from "../../../http/staff-auth";
import { ValidationError } from "../../../lib/errors";
import { isId } from "../../../lib/ids";
import { serializeAdminDomainBlock } from "../../../serializers/mastodon/admin";
import {
	createDomainBlock,
	DomainBlockConflict,
	domainDigest,
	findDomainBlock,
	listDomainBlocks,
	removeDomainBlock,
	updateDomainBlock,
} from "../../../services/moderation/domain-blocks";

const SCOPES = adminScopes("domain_blocks");

async function view(block: DomainBlock) {
	return serializeAdminDomainBlock(block, await domainDigest(block.domain));
}

function severity(params: Params): DomainBlockSeverity | undefined {
	const value = params.string("severity");
	if (value === undefined || value === "") return undefined;
	if (!(DOMAIN_BLOCK_SEVERITIES as readonly string[]).includes(value)) {
		throw new ValidationError("severity", `Severity must be one of ${DOMAIN_BLOCK_SEVERITIES.join(", ")}`);
	}
	return value as DomainBlockSeverity;
}

function fields(params: Params) {
	return {
		severity: severity(params),
		rejectMedia: params.boolean("reject_media"),
		rejectReports: params.boolean("reject_reports"),
		privateComment: params.string("private_comment", { maxLength: 1000 }),
		publicComment: params.string("public_comment", { maxLength: 1000 }),
		obfuscate: params.boolean("obfuscate"),
	};
}

async function target(request: AppRequest, ctx: AppContext): Promise<DomainBlock> {
	const id = request.params.id ?? "";
	const block = isId(id) ? await findDomainBlock(ctx.db, id) : undefined;
	if (!block) throw notFound();
	return block;
}

/** Mastodon's admin domain blocks API; each change applies at once (see services/moderation/domain-effects.ts). */
export function adminDomainBlockRoutes(router: AppRouter): void {
	router.get("/api/v1/admin/domain_blocks", async (request, ctx) => {
		await requireStaff(request, ctx, "manageFederation", ...SCOPES.read);
		const query = pageQuery(await readParams(request), { defaultLimit: 100, maxLimit: 200 });
		const all = (await listDomainBlocks(ctx.db)).sort((a, b) => (a.id < b.id ? 1 : -1));
		const page = all
			.filter(
				(b) =>
					(!query.maxId || b.id < query.maxId) &&
					(!(query.minId ?? query.sinceId) || b.id > (query.minId ?? query.sinceId ?? "")),
			)
			.slice(0, query.limit);
		return pagedJson(
			request.url,
			query,
			await Promise.all(page.map(view)),
			page.map((b) => b.id),
		);
	});

	router.get("/api/v1/admin/domain_blocks/:id", async (request, ctx) => {
		await requireStaff(request, ctx, "manageFederation", ...SCOPES.read);
		return json(await view(await target(request, ctx)));
	});

	router.post("/api/v1/admin/domain_blocks", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageFederation", ...SCOPES.write);
		const params = await readParams(request);
		try {
			const block = await createDomainBlock(ctx, moderator, {
				domain: params.requiredString("domain", { maxLength: 300 }),
				...fields(params),
			});
			return json(await view(block));
		} catch (error) {
			if (error instanceof DomainBlockConflict) {
				throw new ApiError(422, error.message, { existing_domain_block: await view(error.existing) });
			}
			throw error;
		}
	});

	router.put("/api/v1/admin/domain_blocks/:id", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageFederation", ...SCOPES.write);
		const block = await target(request, ctx);
		const params = await readParams(request);
		return json(await view(await updateDomainBlock(ctx, moderator, block, fields(params))));
	});

	router.delete("/api/v1/admin/domain_blocks/:id", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageFederation", ...SCOPES.write);
		await removeDomainBlock(ctx, moderator, await target(request, ctx));
		return json({});
	});
}
