import type { HttpMessageSignaturesSpec } from "@fedify/fedify";
import {
	Accept,
	type Activity,
	Announce,
	Create,
	Follow,
	Like,
	Mention,
	Note,
	PUBLIC_COLLECTION,
	Undo,
} from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../node/free-port";
import { type FedifyPeer, startFedifyPeer } from "./fedify-peer";
import { eventually, startTern, type TernInstance } from "./tern-instance";

interface MastodonStatus {
	id: string;
	uri: string;
	replies_count: number;
	reblogs_count: number;
	favourites_count: number;
}

const [cavagePeer, cavageTern, rfcPeer, rfcTern] = (await freePorts(4)) as [number, number, number, number];
const SPECS: [HttpMessageSignaturesSpec, number, number][] = [
	["draft-cavage-http-signatures-12", cavagePeer, cavageTern],
	["rfc9421", rfcPeer, rfcTern],
];

describe.each(SPECS)("Tern with a Fedify peer signing %s", (spec, peerPort, ternPort) => {
	let peer: FedifyPeer;
	let tern: TernInstance;
	let alice: { username: string; token: string; uri: string };
	let post: MastodonStatus;

	beforeAll(async () => {
		[peer, tern] = await Promise.all([startFedifyPeer(peerPort, spec), startTern(ternPort)]);
		alice = await tern.createUser("alice");
	}, 600_000);

	afterAll(async () => {
		await Promise.all([peer?.close(), tern?.stop()]);
	});

	const ternActor = async () => {
		const actor = await peer.lookup(alice.uri);
		if (!actor?.id) throw new Error(`The peer could not fetch ${alice.uri}`);
		return actor as typeof actor & { id: URL };
	};

	const status = async (id: string) => {
		const { status: code, body } = await tern.api<MastodonStatus>(`/api/v1/statuses/${id}`, { token: alice.token });
		expect(code).toBe(200);
		return body;
	};

	const followersCount = async () => {
		const { body } = await tern.api<{ followers_count: number }>("/api/v1/accounts/verify_credentials", {
			token: alice.token,
		});
		return body.followers_count;
	};

	const followId = () => new URL(`${peer.origin}/follows/${spec}`);

	it("the peer follows a Tern user and receives an Accept", async () => {
		const actor = await ternActor();
		await peer.send(actor, new Follow({ id: followId(), actor: new URL(peer.actorUri), object: actor.id }));
		const accept = await peer.waitFor((a: Activity) => a instanceof Accept);
		expect(accept.actorId?.href).toBe(alice.uri);
		// The Follow is embedded, but Fedify (rightly) does not trust an object from another origin inline.
		expect((accept as Accept).objectId?.href).toBe(followId().href);
		await eventually(async () => ((await followersCount()) === 1 ? true : undefined), "followers_count 1");
		// The first knock was enough: Tern verified the scheme the peer chose and never answered 401.
		const posts = peer.sent.filter((p) => p.url.startsWith(tern.origin));
		expect(posts[0]).toMatchObject({ scheme: spec === "rfc9421" ? "rfc9421" : "draft-cavage", status: 202 });
		expect(posts.every((p) => p.status === 202)).toBe(true);
	});

	it("the Tern user posts and the peer receives the Create", async () => {
		const { status: code, body } = await tern.api<MastodonStatus>("/api/v1/statuses", {
			method: "POST",
			token: alice.token,
			body: JSON.stringify({ status: `Hello from Tern (${spec})`, visibility: "public" }),
		});
		expect(code).toBe(200);
		post = body;
		const create = await peer.waitFor((a: Activity) => a instanceof Create && a.objectId?.href === post.uri);
		const note = await (create as Create).getObject();
		expect(note).toBeInstanceOf(Note);
		expect(String((note as Note).content)).toContain("Hello from Tern");
	});

	it("the peer replies and Tern shows the reply", async () => {
		const actor = await ternActor();
		const noteId = new URL(`${peer.origin}/notes/reply-${spec}`);
		const note = new Note({
			id: noteId,
			attribution: new URL(peer.actorUri),
			content: `<p><a href="${alice.uri}" class="mention">@alice</a> a reply</p>`,
			replyTarget: new URL(post.uri),
			to: PUBLIC_COLLECTION,
			ccs: [actor.id],
			tags: [new Mention({ href: actor.id, name: `@alice@localhost:${ternPort}` })],
		});
		peer.notes.set(noteId.href, note);
		await peer.send(
			actor,
			new Create({
				id: new URL(`${noteId.href}/activity`),
				actor: new URL(peer.actorUri),
				object: note,
				to: PUBLIC_COLLECTION,
				ccs: [actor.id],
			}),
		);
		await eventually(async () => ((await status(post.id)).replies_count === 1 ? true : undefined), "replies_count 1");
		const { body: context } = await tern.api<{ descendants: { uri: string; content: string }[] }>(
			`/api/v1/statuses/${post.id}/context`,
			{ token: alice.token },
		);
		expect(context.descendants.map((d) => d.uri)).toContain(noteId.href);
	});

	it("the peer likes the post and Tern counts the favourite", async () => {
		await peer.send(
			await ternActor(),
			new Like({
				id: new URL(`${peer.origin}/likes/${spec}`),
				actor: new URL(peer.actorUri),
				object: new URL(post.uri),
			}),
		);
		await eventually(
			async () => ((await status(post.id)).favourites_count === 1 ? true : undefined),
			"favourites_count 1",
		);
	});

	it("the peer boosts the post and Tern counts the reblog", async () => {
		await peer.send(
			await ternActor(),
			new Announce({
				id: new URL(`${peer.origin}/announces/${spec}`),
				actor: new URL(peer.actorUri),
				object: new URL(post.uri),
				to: PUBLIC_COLLECTION,
			}),
		);
		await eventually(async () => ((await status(post.id)).reblogs_count === 1 ? true : undefined), "reblogs_count 1");
	});

	it("the peer unfollows and Tern's follower count drops", async () => {
		const actor = await ternActor();
		await peer.send(
			actor,
			new Undo({
				id: new URL(`${followId().href}/undo`),
				actor: new URL(peer.actorUri),
				object: new Follow({ id: followId(), actor: new URL(peer.actorUri), object: actor.id }),
			}),
		);
		await eventually(async () => ((await followersCount()) === 0 ? true : undefined), "followers_count 0");
	});
});
