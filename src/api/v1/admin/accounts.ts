import type { AppContext, AppRequest } from "../../../http/context";
import { ApiError, notFound } from "../../../http/errors";
import { pagedJson } from "../../../http/paged-json";
import { pageQuery } from "../../../http/pagination";
import { type Params, readParams } from "../../../http/params";
import { json } from "../../../http/responses";
import type { AppRouter } from "../../../http/router";
import { adminScopes, requireStaff } from "../../../http/staff-auth";
import { ValidationError } from "../../../lib/errors";
import { serializeAdminAccount } from "../../../serializers/mastodon/admin";
import {
	ACCOUNT_ACTION_TYPES,
	type AccountActionType,
	approveSignUp,
	performAccountAction,
	rejectSignUp,
	type UndoAction,
	undoAccountAction,
} from "../../../services/moderation/account-actions";
import {
	type AdminAccountFilter,
	findAdminAccount,
	listAdminAccounts,
} from "../../../services/moderation/admin-accounts";
import { addressHash } from "../../../services/moderation/sign-ups";

const SCOPES = adminScopes("accounts");
/** Mastodon's admin lists: 100 by default, 200 at most. */
const LIMITS = { defaultLimit: 100, maxLimit: 200 };

const V2_STATUSES = ["active", "pending", "disabled", "silenced", "suspended"] as const;
const ROLE_BY_ID: Record<string, string> = { "-99": "user", "1": "moderator", "2": "admin" };

async function commonFilters(params: Params): Promise<Partial<AdminAccountFilter> & { none?: boolean }> {
	const ip = params.string("ip", { maxLength: 64 });
	return {
		username: params.string("username", { maxLength: 100 }) || undefined,
		displayName: params.string("display_name", { maxLength: 100 }) || undefined,
		byDomain: params.string("by_domain", { maxLength: 253 }) || undefined,
		email: params.string("email", { maxLength: 320 }) || undefined,
		ipHash: ip ? await addressHash(ip.trim()) : undefined,
	};
}

/** v1: `local`, `remote`, `active`, `pending`, `disabled`, `sensitized`, `silenced`, `suspended`, `staff` flags. */
async function v1Filter(params: Params): Promise<AdminAccountFilter> {
	const flag = (name: string) => params.boolean(name) === true;
	const status = (["pending", "disabled", "sensitized", "silenced", "suspended", "active"] as const).find(flag);
	return {
		...(await commonFilters(params)),
		origin: flag("local") ? "local" : flag("remote") ? "remote" : undefined,
		status,
		staff: flag("staff"),
		...page(params),
	};
}

/** v2: `origin`, `status`, `permissions` (staff), `role_ids[]`, `invited_by`. */
async function v2Filter(params: Params): Promise<AdminAccountFilter> {
	const origin = params.string("origin");
	if (origin && origin !== "local" && origin !== "remote")
		throw new ValidationError("origin", "Origin must be local or remote");
	const status = params.string("status");
	if (status && !(V2_STATUSES as readonly string[]).includes(status)) {
		throw new ValidationError("status", `Status must be one of ${V2_STATUSES.join(", ")}`);
	}
	const permissions = params.string("permissions");
	if (permissions && permissions !== "staff") throw new ValidationError("permissions", "Permissions must be staff");
	const roleIds = params.stringArray("role_ids");
	const roles = roleIds?.map((id) => ROLE_BY_ID[id]).filter((role): role is string => role !== undefined);
	return {
		...(await commonFilters(params)),
		origin: (origin || undefined) as AdminAccountFilter["origin"],
		status: (status || undefined) as AdminAccountFilter["status"],
		staff: permissions === "staff",
		roles: roleIds ? (roles ?? []) : undefined,
		// Tern has no invites: nobody was invited by anyone.
		nobody: params.has("invited_by"),
		...page(params),
	};
}

function page(params: Params) {
	const query = pageQuery(params, LIMITS);
	return { maxId: query.maxId, sinceId: query.sinceId, minId: query.minId, limit: query.limit };
}

async function list(request: AppRequest, ctx: AppContext, filter: AdminAccountFilter): Promise<Response> {
	const rows = filter.nobody ? [] : await listAdminAccounts(ctx.db, filter);
	return pagedJson(
		request.url,
		{ maxId: filter.maxId, sinceId: filter.sinceId, minId: filter.minId, limit: filter.limit },
		rows.map((row) => serializeAdminAccount(row.account, row.user, ctx.config)),
		rows.map((row) => row.account.id),
	);
}

async function target(request: AppRequest, ctx: AppContext) {
	const row = await findAdminAccount(ctx.db, request.params.id ?? "");
	if (!row) throw notFound();
	return row;
}

async function answer(ctx: AppContext, id: string): Promise<Response> {
	const row = await findAdminAccount(ctx.db, id);
	if (!row) throw notFound();
	return json(serializeAdminAccount(row.account, row.user, ctx.config));
}

/** Mastodon's admin accounts API: listing with filters, one account, and the moderation actions. */
export function adminAccountRoutes(router: AppRouter): void {
	router.get("/api/v1/admin/accounts", async (request, ctx) => {
		await requireStaff(request, ctx, "manageUsers", ...SCOPES.read);
		return list(request, ctx, await v1Filter(await readParams(request)));
	});

	router.get("/api/v2/admin/accounts", async (request, ctx) => {
		await requireStaff(request, ctx, "manageUsers", ...SCOPES.read);
		return list(request, ctx, await v2Filter(await readParams(request)));
	});

	router.get("/api/v1/admin/accounts/:id", async (request, ctx) => {
		await requireStaff(request, ctx, "manageUsers", ...SCOPES.read);
		const row = await target(request, ctx);
		return json(serializeAdminAccount(row.account, row.user, ctx.config));
	});

	router.post("/api/v1/admin/accounts/:id/action", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageUsers", ...SCOPES.write);
		const row = await target(request, ctx);
		const params = await readParams(request);
		const type = params.string("type") ?? "none";
		if (!(ACCOUNT_ACTION_TYPES as readonly string[]).includes(type)) {
			throw new ValidationError("type", `Type must be one of ${ACCOUNT_ACTION_TYPES.join(", ")}`);
		}
		// Tern has no warning presets; naming one is naming something that does not exist.
		if (params.string("warning_preset_id")) throw notFound("Warning preset not found");
		await performAccountAction(ctx, moderator, row.account, {
			type: type as AccountActionType,
			text: params.string("text", { maxLength: 5000 }),
			reportId: params.string("report_id") || undefined,
			notify: params.boolean("send_email_notification") ?? true,
		});
		return json({});
	});

	for (const undo of ["enable", "unsilence", "unsuspend", "unsensitive"] as const satisfies UndoAction[]) {
		router.post(`/api/v1/admin/accounts/:id/${undo}`, async (request, ctx) => {
			const { moderator } = await requireStaff(request, ctx, "manageUsers", ...SCOPES.write);
			const row = await target(request, ctx);
			await undoAccountAction(ctx, moderator, row.account, undo);
			return answer(ctx, row.account.id);
		});
	}

	router.post("/api/v1/admin/accounts/:id/approve", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageUsers", ...SCOPES.write);
		const row = await target(request, ctx);
		await approveSignUp(ctx, moderator, row.account);
		return answer(ctx, row.account.id);
	});

	router.post("/api/v1/admin/accounts/:id/reject", async (request, ctx) => {
		const { moderator } = await requireStaff(request, ctx, "manageUsers", ...SCOPES.write);
		const row = await target(request, ctx);
		const params = await readParams(request);
		await rejectSignUp(ctx, moderator, row.account, params.string("text", { maxLength: 5000 }) ?? "");
		return answer(ctx, row.account.id);
	});

	router.delete("/api/v1/admin/accounts/:id", async (request, ctx) => {
		await requireStaff(request, ctx, "manageUsers", ...SCOPES.write);
		await target(request, ctx);
		// Suspension already hides everything; erasing an account's data is not built yet.
		throw new ApiError(501, "Deleting an account's data is not available on this server; suspend it instead");
	});
}
