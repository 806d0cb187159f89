import { requireUser } from "../../http/auth";
import type { AppContext, AppRequest } from "../../http/context";
import { ApiError, notFound, unprocessable } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { MEDIA_LIMITS, MiB } from "../../lib/limits";
import { serializeMediaAttachment } from "../../serializers/mastodon/media-attachment";
import { deleteMedia, findOwnMedia, updateMedia, uploadMedia } from "../../services/media";

/** The largest multipart body an upload may have: the biggest file plus room for the other fields. */
const UPLOAD_BODY_LIMIT = Math.max(MEDIA_LIMITS.imageSizeLimit, MEDIA_LIMITS.videoSizeLimit) + MiB;

async function upload(request: AppRequest, ctx: AppContext): Promise<Response> {
	const { account } = await requireUser(request, ctx, "write:media");
	const params = await readParams(request, { maxBytes: UPLOAD_BODY_LIMIT });
	const file = params.file("file");
	if (!file) throw unprocessable("Validation failed: File can't be blank");
	const media = await uploadMedia(ctx.db, ctx.env.MEDIA, account.id, {
		file,
		description: params.string("description"),
		focus: params.string("focus"),
	});
	// Stored without transcoding, an upload is ready at once: v2 answers 200 rather than 202.
	return json(serializeMediaAttachment(media, ctx.config));
}

/** Only the uploader's own media that is not yet attached to a post, as in Mastodon. */
async function ownUnattached(request: AppRequest, ctx: AppContext) {
	const { account } = await requireUser(request, ctx, "write:media");
	const media = await findOwnMedia(ctx.db, account.id, request.params.id ?? "");
	if (!media) throw notFound();
	return media;
}

export function mediaRoutes(router: AppRouter): void {
	router.post("/api/v1/media", upload);
	router.post("/api/v2/media", upload);

	router.get("/api/v1/media/:id", async (request, ctx) => {
		const media = await ownUnattached(request, ctx);
		if (media.statusId) throw notFound();
		return json(serializeMediaAttachment(media, ctx.config));
	});

	router.put("/api/v1/media/:id", async (request, ctx) => {
		const media = await ownUnattached(request, ctx);
		if (media.statusId) throw notFound();
		const params = await readParams(request);
		const updated = await updateMedia(ctx.db, media, {
			description: params.string("description"),
			focus: params.string("focus"),
		});
		return json(serializeMediaAttachment(updated, ctx.config));
	});

	router.delete("/api/v1/media/:id", async (request, ctx) => {
		const media = await ownUnattached(request, ctx);
		if (media.statusId) throw new ApiError(422, "Media attachment is currently used by a status");
		await deleteMedia(ctx.db, ctx.env.MEDIA, media);
		return json({});
	});
}
