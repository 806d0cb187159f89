import type { MediaAttachment } from "../../db/schema";
import { requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { ApiError, notFound, unprocessable } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { MEDIA_LIMITS, MiB } from "../../lib/limits";
import { serializeMediaAttachment } from "../../serializers/mastodon/media-attachment";
import { deleteMedia, findOwnMedia, updateMedia, uploadMedia } from "../../services/media/uploads";

/** The largest multipart body an upload may have: the biggest file plus room for the other fields. */
const UPLOAD_BODY_LIMIT = Math.max(MEDIA_LIMITS.imageSizeLimit, MEDIA_LIMITS.videoSizeLimit) + MiB;

/** Mastodon's v1 upload always answers with a processed attachment; v2 may answer 202 and finish later. */
async function upload(request: AppRequest, ctx: AppContext, mayDefer: boolean): Promise<Response> {
	const { account } = await requireUser(request, ctx, "write:media");
	const params = await readParams(request, { maxBytes: UPLOAD_BODY_LIMIT });
	const file = params.file("file");
	if (!file) throw unprocessable("Validation failed: File can't be blank");
	const media = await uploadMedia(
		ctx,
		account.id,
		{ file, description: params.string("description"), focus: params.string("focus") },
		{ mayDefer },
	);
	return json(serializeMediaAttachment(media, ctx.config), { status: media.processing ? 202 : 200 });
}

/** 206 while the attachment is still being processed, as Mastodon answers. */
function mediaStatus(media: MediaAttachment): number {
	return media.processing ? 206 : 200;
}

/** Only the uploader's own media that is not yet attached to a post, as in Mastodon. */
async function ownUnattached(request: AppRequest, ctx: AppContext) {
	const { account } = await requireUser(request, ctx, "write:media");
	const media = await findOwnMedia(ctx.db, account.id, request.params.id ?? "");
	if (!media) throw notFound();
	return media;
}

export function mediaRoutes(router: AppRouter): void {
	router.post("/api/v1/media", (request, ctx) => upload(request, ctx, false));
	router.post("/api/v2/media", (request, ctx) => upload(request, ctx, true));

	router.get("/api/v1/media/:id", async (request, ctx) => {
		const media = await ownUnattached(request, ctx);
		if (media.statusId) throw notFound();
		return json(serializeMediaAttachment(media, ctx.config), { status: mediaStatus(media) });
	});

	router.put("/api/v1/media/:id", async (request, ctx) => {
		const media = await ownUnattached(request, ctx);
		if (media.statusId) throw notFound();
		const params = await readParams(request);
		const updated = await updateMedia(ctx.db, media, {
			description: params.string("description"),
			focus: params.string("focus"),
		});
		return json(serializeMediaAttachment(updated, ctx.config), { status: mediaStatus(updated) });
	});

	router.delete("/api/v1/media/:id", async (request, ctx) => {
		const media = await ownUnattached(request, ctx);
		if (media.statusId) throw new ApiError(422, "Media attachment is currently used by a status");
		await deleteMedia(ctx.db, ctx.env.MEDIA, media);
		return json({});
	});
}
