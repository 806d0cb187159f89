import { MARKER_TIMELINES, type MarkerTimeline } from "../../db/schema";
import { requireUser } from "../../http/auth";
import { unprocessable } from "../../http/errors";
import { readParams } from "../../http/params";
import { json } from "../../http/responses";
import type { AppRouter } from "../../http/router";
import { isId } from "../../lib/ids";
import { serializeMarkers } from "../../serializers/mastodon/marker";
import { loadMarkers, saveMarkers } from "../../services/timelines/markers";

const isTimeline = (name: string): name is MarkerTimeline => (MARKER_TIMELINES as readonly string[]).includes(name);

export function markerRoutes(router: AppRouter): void {
	router.get("/api/v1/markers", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "read:statuses");
		const params = await readParams(request);
		const timelines = (params.stringArray("timeline") ?? []).filter(isTimeline);
		return json(serializeMarkers(await loadMarkers(ctx.db, account.id, [...new Set(timelines)])));
	});

	router.post("/api/v1/markers", async (request, ctx) => {
		const { account } = await requireUser(request, ctx, "write:statuses");
		const params = await readParams(request);
		const positions: { timeline: MarkerTimeline; lastReadId: string }[] = [];
		for (const timeline of MARKER_TIMELINES) {
			const marker = params.object(timeline);
			if (!marker) continue;
			const lastReadId = marker.requiredString("last_read_id");
			if (!isId(lastReadId)) throw unprocessable(`Validation failed: ${timeline}[last_read_id] is not an id`);
			positions.push({ timeline, lastReadId });
		}
		if (positions.length === 0)
			throw unprocessable("Validation failed: give home[last_read_id] or notifications[last_read_id]");
		return json(serializeMarkers(await saveMarkers(ctx.db, account.id, positions)));
	});
}
