import { type Activity, Create, Flag, Mention, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../node/free-port";
import { type FedifyPeer, startFedifyPeer } from "./fedify-peer";
import { eventually, startTern, type TernInstance } from "./tern-instance";

interface Notification {
	type: string;
	status?: { uri: string };
}

const [peerPort, ternPort] = (await freePorts(2)) as [number, number];

/**
 * Moderation against a real, signature-checking Fedify peer on 127.0.0.1
 * (Tern itself is localhost): a report forwarded to it arrives as a Flag
 * signed by Tern's instance actor, and once its domain is suspended a signed
 * Create from it changes nothing.
 */
describe("moderation with a Fedify peer", () => {
	let peer: FedifyPeer;
	let tern: TernInstance;
	let alice: { username: string; token: string; uri: string };
	let admin: { token: string };

	beforeAll(async () => {
		[peer, tern] = await Promise.all([
			startFedifyPeer(peerPort, "draft-cavage-http-signatures-12"),
			startTern(ternPort),
		]);
		alice = await tern.createUser("alice");
		admin = await tern.createUser("root", { role: "admin", scopes: "read write admin:read admin:write" });
		// The instance actor (and the job making its keys) exists before anything is signed with it.
		expect((await fetch(`${tern.origin}/actor`, { headers: { Accept: "application/activity+json" } })).status).toBe(
			200,
		);
	}, 300_000);

	afterAll(async () => {
		await Promise.all([peer?.close(), tern?.stop()]);
	});

	const ternActor = async () => {
		const actor = await peer.lookup(alice.uri);
		if (!actor?.id) throw new Error(`The peer could not fetch ${alice.uri}`);
		return actor as typeof actor & { id: URL };
	};

	const mentionOfAlice = async (n: number) => {
		const actor = await ternActor();
		const noteId = new URL(`${peer.origin}/notes/moderation-${n}`);
		const note = new Note({
			id: noteId,
			attribution: new URL(peer.actorUri),
			content: `<p><a href="${alice.uri}" class="mention">@alice</a> message ${n}</p>`,
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
		return noteId.href;
	};

	const mentionsOfAlice = async () => {
		const { body } = await tern.api<Notification[]>("/api/v1/notifications?types[]=mention", { token: alice.token });
		return body.map((n) => n.status?.uri);
	};

	it("a report forwarded by a member reaches the peer as a Flag signed by Tern's instance actor", async () => {
		// Before any block: the peer's mention arrives (this is the control for the last test).
		const first = await mentionOfAlice(1);
		await eventually(async () => ((await mentionsOfAlice()).includes(first) ? true : undefined), "the first mention");
		const { body: found } = await tern.api<{ accounts: { id: string; acct: string }[] }>(
			`/api/v2/search?q=${encodeURIComponent(peer.actorUri)}&resolve=true&type=accounts`,
			{ token: alice.token },
		);
		const peerAccount = found.accounts[0];
		expect(peerAccount?.acct).toBe(`peer@127.0.0.1:${peerPort}`);
		const report = await tern.api<{ id: string; forwarded: boolean }>("/api/v1/reports", {
			method: "POST",
			token: alice.token,
			body: JSON.stringify({
				account_id: peerAccount?.id,
				comment: "Spam from your server",
				category: "spam",
				forward: true,
			}),
		});
		expect(report.status).toBe(200);
		expect(report.body.forwarded).toBe(true);
		// Fedify verified the HTTP signature before handing the activity over: it came from Tern's instance actor.
		const flag = (await peer.waitFor((a: Activity) => a instanceof Flag, 90_000)) as Flag;
		expect(flag.actorId?.href).toBe(`${tern.origin}/actor`);
		expect(String(flag.content)).toBe("Spam from your server");
		expect(flag.objectIds.map((id) => id.href)).toContain(peer.actorUri);
		const posts = peer.sent.filter((p) => p.url.startsWith(tern.origin));
		expect(
			posts.map((p) => p.status),
			JSON.stringify(posts),
		).toContain(202);
	});

	it("once the peer's domain is suspended, its signed Create has no effect", async () => {
		const block = await tern.api<{ id: string; domain: string }>("/api/v1/admin/domain_blocks", {
			method: "POST",
			token: admin.token,
			body: JSON.stringify({ domain: "127.0.0.1", severity: "suspend" }),
		});
		expect(block.status).toBe(200);
		expect(block.body.domain).toBe("127.0.0.1");
		const sentBefore = peer.sent.length;
		const second = await mentionOfAlice(2);
		// Tern answered the delivery (202: the peer does not retry it)...
		await eventually(async () => (peer.sent.length > sentBefore ? true : undefined), "the peer's delivery");
		expect(peer.sent.slice(sentBefore).every((p) => p.status === 202)).toBe(true);
		// ...and nothing came of it, given time for the inbox queue to have acted: not stored, no post, no
		// notification (the earlier mention is hidden too now, as everything from a suspended server is).
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		const stored = await tern.sql(
			`select (select count(*) from inbox_activities where uri = '${second}/activity') + (select count(*) from statuses where uri = '${second}') as n`,
		);
		expect(stored).toMatch(/"n": 0/);
		expect(await mentionsOfAlice()).toEqual([]);
	});
});
