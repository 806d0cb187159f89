import type { Marker } from "../../db/schema";
import type { MastodonMarker } from "./entities";

/** Markers keyed by timeline, as `/api/v1/markers` answers them. */
export function serializeMarkers(rows: Marker[]): Record<string, MastodonMarker> {
	return Object.fromEntries(
		rows.map((row) => [
			row.timeline,
			{ last_read_id: row.lastReadId, version: row.version, updated_at: row.updatedAt.toISOString() },
		]),
	);
}
