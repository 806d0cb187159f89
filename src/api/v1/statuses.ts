import { asc, eq } from "drizzle-orm";
import { inIdList } from "../../db/queries/id-list";
import { mediaAttachments, statusEdits } from "../../db/schema";
import { authenticate, requireUser } from "../../http/auth";
import { ApiError, forbidden, notFound } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import type { MastodonStatusEdit } from "../../serializers/mastodon/entities";
import { serializeMediaAttachment } from "../../serializers/mastodon/media-attachment";
import { deleteStatus } from "../../services/statuses/deletion";
import { editStatus } from "../../services/statuses/editing";
import { createStatus } from "../../services/statuses/posting";
import { threadIds } from "../../services/statuses/thread";
import { loadStatusViews } from "../../services/statuses/views";
import { languageParam, pollParam, visibilityParam } from "../shared/status-params";
import { requireVisibleStatus, statusView } from "../shared/status-responses";
import { statusActionRoutes } from "./status-actions";

const MAX_IDS = 40;

/** The statuses resource: posting, reading, editing, deleting, threads; actions live in status-actions.ts. */
export function statusRoutes(router: AppRouter): void {
	statusActionRoutes(router);
	router.post("/api/v1/statuses", async (request, ctx) => {
		const { account, user, applicationId } = await requireUser(request, ctx, "write:statuses");
		const params = await readParams(request);
		if (params.has("scheduled_at") && params.string("scheduled_at")) {
			throw new ApiError(422, "Scheduled posts are not supported by this server");
		}
		const inReplyToId = params.string("in_reply_to_id") || undefined;
		const inReplyTo = inReplyToId ? await requireVisibleStatus(ctx, account.id, inReplyToId) : null;
		const status = await createStatus(ctx, {
			account,
			defaultVisibility: user.defaultPrivacy,
			applicationId,
			text: params.string("status") ?? "",
			spoilerText: params.string("spoiler_text") ?? "",
			sensitive: params.boolean("sensitive") ?? user.defaultSensitive,
			visibility: visibilityParam(params),
			language: languageParam(params) ?? user.defaultLanguage,
			inReplyTo,
			mediaIds: params.stringArray("media_ids") ?? [],
			poll: pollParam(params) ?? null,
			idempotencyKey: request.headers.get("Idempotency-Key")?.slice(0, 128) || null,
		});
		return json(await statusView(ctx, account.id, status.id));
	});

	router.get("/api/v1/statuses", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (auth) await requireUser(request, ctx, "read:statuses");
		const params = await readParams(request);
		const ids = (params.stringArray("id") ?? []).slice(0, MAX_IDS);
		return json(await loadStatusViews(ctx.db, ctx.config, auth?.account?.id ?? null, ids));
	});

	router.get("/api/v1/statuses/:id", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (auth) await requireUser(request, ctx, "read:statuses");
		return json(await statusView(ctx, auth?.account?.id ?? null, request.params.id ?? ""));
	});

	router.put("/api/v1/statuses/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:statuses");
		const status = await requireVisibleStatus(ctx, account.id, request.params.id ?? "");
		if (status.accountId !== account.id || status.reblogOfId) throw forbidden("This action is not allowed");
		const params = await readParams(request);
		await editStatus(ctx, account, status, {
			text: params.string("status") ?? "",
			spoilerText: params.string("spoiler_text") ?? "",
			sensitive: params.boolean("sensitive"),
			language: languageParam(params),
			mediaIds: params.has("media_ids") ? (params.stringArray("media_ids") ?? []) : undefined,
			poll: pollParam(params) ?? null,
		});
		return json(await statusView(ctx, account.id, status.id));
	});

	router.delete("/api/v1/statuses/:id", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:statuses");
		const status = await requireVisibleStatus(ctx, account.id, request.params.id ?? "");
		if (status.accountId !== account.id || status.reblogOfId) throw forbidden("This action is not allowed");
		// Rendered before deleting: the answer carries the source text and media for delete-and-redraft.
		const view = await statusView(ctx, account.id, status.id);
		await deleteStatus(ctx, status);
		return json({ ...view, text: status.text ?? "" });
	});

	router.get("/api/v1/statuses/:id/context", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (auth) await requireUser(request, ctx, "read:statuses");
		const viewerId = auth?.account?.id ?? null;
		const status = await requireVisibleStatus(ctx, viewerId, request.params.id ?? "");
		const thread = await threadIds(ctx.db, status);
		const options = { hideMutedAuthors: true, filterContext: "thread" as const };
		const [ancestors, descendants] = await Promise.all([
			loadStatusViews(ctx.db, ctx.config, viewerId, thread.ancestors, options),
			loadStatusViews(ctx.db, ctx.config, viewerId, thread.descendants, options),
		]);
		return json({ ancestors, descendants });
	});

	router.get("/api/v1/statuses/:id/source", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:statuses");
		const status = await requireVisibleStatus(ctx, account.id, request.params.id ?? "");
		if (status.accountId !== account.id || status.text === null) throw notFound();
		return json({ id: status.id, text: status.text, spoiler_text: status.spoilerText });
	});

	router.get("/api/v1/statuses/:id/history", async (request, ctx) => {
		const auth = await authenticate(request, ctx);
		if (auth) await requireUser(request, ctx, "read:statuses");
		const viewerId = auth?.account?.id ?? null;
		const status = await requireVisibleStatus(ctx, viewerId, request.params.id ?? "");
		const view = await statusView(ctx, viewerId, status.id);
		const edits = await ctx.db
			.select()
			.from(statusEdits)
			.where(eq(statusEdits.statusId, status.id))
			.orderBy(asc(statusEdits.id));
		if (edits.length === 0) {
			const current: MastodonStatusEdit = {
				content: view.content,
				spoiler_text: view.spoiler_text,
				sensitive: view.sensitive,
				created_at: view.created_at,
				account: view.account,
				poll: view.poll ? { options: view.poll.options.map((o) => ({ title: o.title })) } : null,
				media_attachments: view.media_attachments,
				emojis: [],
			};
			return json([current]);
		}
		const mediaIds = [...new Set(edits.flatMap((e) => e.mediaAttachmentIds ?? []))];
		const media = mediaIds.length
			? await ctx.db.select().from(mediaAttachments).where(inIdList(mediaAttachments.id, mediaIds))
			: [];
		const author = view.account;
		return json(
			edits.map(
				(edit): MastodonStatusEdit => ({
					content: edit.content,
					spoiler_text: edit.spoilerText,
					sensitive: edit.sensitive,
					created_at: edit.createdAt.toISOString(),
					account: author,
					poll: edit.pollOptions ? { options: edit.pollOptions.map((title) => ({ title })) } : null,
					media_attachments: (edit.mediaAttachmentIds ?? []).flatMap((id) => {
						const row = media.find((m) => m.id === id);
						return row ? [serializeMediaAttachment(row, ctx.config)] : [];
					}),
					emojis: [],
				}),
			),
		);
	});
}
