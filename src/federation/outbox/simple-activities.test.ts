import { describe, expect, it } from "vitest";
import { parseObject } from "../parse";
import {
	deleteStatusActivity,
	followAnswer,
	likeActivity,
	pollVoteActivity,
	undoActivity,
	updateActivity,
} from "./simple-activities";

const actor = "https://tern.test/users/alice";
const remote = "https://remote.example/users/bob";

describe("simple activities", () => {
	it("builds activities our own parser reads back", () => {
		const like = likeActivity({ id: `${actor}#likes/1`, actor, object: `${remote}/statuses/1` });
		const undo = undoActivity("Like", { id: `${actor}#likes/1`, actor, object: `${remote}/statuses/1` });
		const accept = followAnswer("Accept", {
			id: `${actor}#accepts/follows/9`,
			localActor: actor,
			follow: { id: `${remote}#follows/3`, actor: remote },
		});
		for (const doc of [like, undo, accept]) expect(parseObject(doc).kind).toBe("activity");
		const parsedUndo = parseObject(undo);
		expect(parsedUndo.kind === "activity" && parsedUndo.object?.kind === "activity" && parsedUndo.object.type).toBe(
			"Like",
		);
		expect(undo.id).toBe(`${actor}#likes/1/undo`);
		expect((accept.object as { id: string }).id).toBe(`${remote}#follows/3`);
	});

	it("addresses a Delete publicly with a Tombstone", () => {
		const doc = deleteStatusActivity({ statusUri: `${actor}/statuses/5`, actor });
		expect(doc).toMatchObject({
			type: "Delete",
			to: ["https://www.w3.org/ns/activitystreams#Public"],
			object: { type: "Tombstone", id: `${actor}/statuses/5` },
		});
	});

	it("sends poll votes as a named Note to the poll's author", () => {
		const doc = pollVoteActivity({
			voteId: "7",
			actor,
			pollStatusUri: `${remote}/statuses/2`,
			pollAuthorUri: remote,
			optionTitle: "Yes",
		});
		expect(doc.object).toMatchObject({ type: "Note", name: "Yes", inReplyTo: `${remote}/statuses/2`, to: [remote] });
	});

	it("drops the inner @context of an updated object", () => {
		const doc = updateActivity({
			id: `${actor}#updates/1`,
			actor,
			object: { "@context": "x", id: actor, type: "Person" },
			to: [],
			cc: [],
		});
		expect(doc.object).toEqual({ id: actor, type: "Person" });
	});
});
