import type { InstanceConfig } from "../../config";
import type { Account, Status } from "../../db/schema";
import { addressing, type NoteDocument, serializeNote, withNoteContext } from "../../serializers/activitypub/note";
import type { NoteSource } from "./note-sources";

/**
 * Builders of the activities a local account publishes. The outbox
 * collection serves them, and delivery sends the same documents, so a peer
 * sees one shape whichever way it gets a post.
 */

/** `…/statuses/:id/activity`: the id Mastodon gives the Create of a status. */
export function createActivityId(statusUri: string): string {
	return `${statusUri}/activity`;
}

export function buildCreate(
	source: NoteSource,
	config: InstanceConfig,
	note: NoteDocument = serializeNote(source, config),
) {
	return withNoteContext({
		id: createActivityId(note.id),
		type: "Create",
		actor: source.author.uri,
		published: note.published,
		to: note.to,
		cc: note.cc,
		object: note,
	});
}

/** `Update` of an edited status, as Mastodon sends it (a fresh id per edit). */
export function buildUpdate(source: NoteSource, config: InstanceConfig) {
	const note = serializeNote(source, config);
	const editedAt = source.status.editedAt ?? new Date();
	return withNoteContext({
		id: `${note.id}#updates/${editedAt.getTime()}`,
		type: "Update",
		actor: source.author.uri,
		published: editedAt.toISOString(),
		to: note.to,
		cc: note.cc,
		object: note,
	});
}

export interface AnnounceSource {
	/** The boost: a status with `reblogOfId`, whose uri is the Announce's id. */
	boost: Status;
	booster: Account;
	/** The boosted post's URI and its author's actor URI. */
	objectUri: string;
	objectAuthorUri: string;
}

/** An `Announce` of a boost, addressed like the boost's visibility plus the boosted author. */
export function buildAnnounce(source: AnnounceSource) {
	const followers = source.booster.followersUrl ?? `${source.booster.uri}/followers`;
	const base = addressing(source.boost.visibility, followers, []);
	const cc = base.cc.includes(source.objectAuthorUri) ? base.cc : [...base.cc, source.objectAuthorUri];
	return withNoteContext({
		id: source.boost.uri,
		type: "Announce",
		actor: source.booster.uri,
		published: source.boost.createdAt.toISOString(),
		to: base.to,
		cc: source.boost.visibility === "direct" ? [] : cc,
		object: source.objectUri,
	});
}
