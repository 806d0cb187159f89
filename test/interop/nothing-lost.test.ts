import { rmSync } from "node:fs";
import { type Activity, Create, Follow, Mention, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../node/free-port";
import { type FedifyPeer, startFedifyPeer } from "./fedify-peer";
import { eventually, startTern, type TernInstance } from "./tern-instance";

/**
 * Tern killed (SIGKILL to wrangler and workerd) in the middle of a burst of
 * 50 posts, with two followers on other servers, while those servers post to
 * Tern as well. After a restart on the same state and a run of the cron,
 * every post that was acknowledged reaches both followers' inboxes, and
 * every activity answered 202 takes effect here; repeats carry the same
 * activity id, so each is recorded once.
 */

const BURST = 50;
/** The sweep's grace for deliveries that lost their queue message (STALE_DELIVERY_MS) and a little more. */
const SWEEP_AFTER_MS = 2 * 60 * 1000 + 5_000;

const [ternPort, firstPort, secondPort] = (await freePorts(3)) as [number, number, number];

describe("Tern killed mid-burst", () => {
	let tern: TernInstance;
	let state: string;
	let peers: FedifyPeer[];
	let alice: { username: string; token: string; uri: string };

	beforeAll(async () => {
		[tern, ...peers] = await Promise.all([
			startTern(ternPort, { testScheduled: true }),
			startFedifyPeer(firstPort, "draft-cavage-http-signatures-12"),
			startFedifyPeer(secondPort, "draft-cavage-http-signatures-12"),
		]);
		state = tern.state;
		alice = await tern.createUser("alice");
	}, 180_000);

	afterAll(async () => {
		await Promise.all([tern?.stop(), ...(peers ?? []).map((p) => p.close())]);
		if (state) rmSync(state, { recursive: true, force: true });
	});

	it("delivers every acknowledged post to every follower, and applies every acknowledged activity, once", async () => {
		const actor = await peers[0]?.lookup(alice.uri);
		if (!actor?.id) throw new Error(`The peer could not fetch ${alice.uri}`);
		for (const [i, peer] of peers.entries()) {
			await peer.send(
				actor as typeof actor & { id: URL },
				new Follow({ id: new URL(`${peer.origin}/follows/${i}`), actor: new URL(peer.actorUri), object: actor.id }),
			);
			await peer.waitFor((a: Activity) => a.constructor.name === "Accept");
		}

		// The burst: 50 posts at once from the client, and 10 replies from the first peer.
		const acknowledged: string[] = [];
		const posting = Array.from({ length: BURST }, async (_, i) => {
			try {
				const { status, body } = await tern.api<{ uri: string }>("/api/v1/statuses", {
					method: "POST",
					token: alice.token,
					body: JSON.stringify({ status: `burst ${i}`, visibility: "public" }),
				});
				if (status === 200) acknowledged.push(body.uri);
			} catch {
				// The connection died with the server: not acknowledged.
			}
		});
		const replies: string[] = [];
		const replying = Array.from({ length: 10 }, async (_, i) => {
			const peer = peers[0] as FedifyPeer;
			const noteId = new URL(`${peer.origin}/notes/crash-${i}`);
			// Addressed to alice, so Tern keeps it (it drops posts that concern nobody here).
			const note = new Note({
				id: noteId,
				attribution: new URL(peer.actorUri),
				content: `<p><a href="${alice.uri}" class="mention">@alice</a> note ${i}</p>`,
				to: PUBLIC_COLLECTION,
				ccs: [actor.id as URL],
				tags: [new Mention({ href: actor.id, name: `@alice@localhost:${ternPort}` })],
			});
			peer.notes.set(noteId.href, note);
			try {
				// Sent at once; Fedify throws unless Tern answered 2xx.
				await peer.send(
					actor as typeof actor & { id: URL },
					new Create({
						id: new URL(`${noteId.href}/activity`),
						actor: new URL(peer.actorUri),
						object: note,
						to: PUBLIC_COLLECTION,
						ccs: [actor.id as URL],
					}),
				);
				replies.push(noteId.href);
			} catch {
				// Refused or cut off: not acknowledged (its server would retry).
			}
		});
		// Kill once some posts are acknowledged and others are still in flight.
		await eventually(async () => (acknowledged.length >= 10 ? true : undefined), "ten acknowledged posts", 60_000);
		await tern.kill();
		const killedAt = Date.now();
		await Promise.all([...posting, ...replying]);
		expect(acknowledged.length).toBeGreaterThanOrEqual(10);

		tern = await startTern(ternPort, { state, testScheduled: true });
		// The sweep hands over what has no live work: events at once, deliveries whose
		// queue message died with the server after their grace.
		await new Promise((r) => setTimeout(r, Math.max(0, killedAt + SWEEP_AFTER_MS - Date.now())));
		const missing = peers.map(
			(peer) =>
				acknowledged.filter((uri) => !peer.received.some((a) => a instanceof Create && a.objectId?.href === uri))
					.length,
		);
		console.log(
			`${acknowledged.length} of ${BURST} posts and ${replies.length} of 10 notes acknowledged before the kill; ` +
				`posts not yet at each follower before the sweep: ${missing.join(", ")}`,
		);
		await tern.scheduled();

		for (const peer of peers) {
			await eventually(
				async () => {
					const got = new Set(
						peer.received.filter((a) => a instanceof Create).map((a) => (a as Create).objectId?.href),
					);
					return acknowledged.every((uri) => got.has(uri)) ? true : undefined;
				},
				`all ${acknowledged.length} acknowledged posts at ${peer.origin}`,
				90_000,
			);
			// Each recorded once; repeats (if any) carried the same id.
			const creates = peer.received.filter((a) => a instanceof Create).map((a) => (a as Create).id?.href);
			expect(creates.length).toBe(new Set(creates).size);
			for (const uri of acknowledged) {
				const posts = peer.inboxPosts.filter((p) => p.id === `${uri}/activity`);
				expect(posts.length).toBeGreaterThanOrEqual(1);
			}
		}

		// Every note Tern answered 202 for is stored, once.
		for (const uri of replies) {
			const { body } = await tern.api<{ statuses: { uri: string }[] }>(
				`/api/v2/search?type=statuses&resolve=false&q=${encodeURIComponent(uri)}`,
				{ token: alice.token },
			);
			expect(body.statuses.filter((s) => s.uri === uri)).toHaveLength(1);
		}
	}, 420_000);
});
