import { Follow, Move } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../node/free-port";
import { type FedifyPeer, startFedifyPeer } from "./fedify-peer";
import { eventually, startTern, type TernInstance } from "./tern-instance";
import { signIn, uploadArchive } from "./web-session";

interface Status {
	id: string;
	content: string;
	created_at: string;
	visibility: string;
	spoiler_text: string;
	in_reply_to_id: string | null;
}

/**
 * A member leaves one Tern for another: their archive and follows CSV from
 * A are imported on B; then they move, and their followers on A and on a
 * Fedify peer end up following the account on B.
 */
describe("moving between two Tern instances", () => {
	let a: TernInstance;
	let b: TernInstance;
	let peer: FedifyPeer;

	beforeAll(async () => {
		const [portA, portB, portPeer] = (await freePorts(3)) as [number, number, number];
		[a, b, peer] = await Promise.all([
			startTern(portA),
			startTern(portB),
			startFedifyPeer(portPeer, "draft-cavage-http-signatures-12"),
		]);
	}, 180_000);

	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop(), peer?.close()]);
	});

	async function find(on: TernInstance, token: string, handle: string): Promise<string> {
		const { body } = await on.api<{ accounts: { id: string; acct: string }[] }>(
			`/api/v2/search?q=${encodeURIComponent(handle)}&resolve=true&type=accounts`,
			{ token },
		);
		const account = body.accounts.find(
			(x) => x.acct === handle || `${x.acct}@${on.origin.replace("http://", "")}` === handle,
		);
		if (!account) throw new Error(`${handle} not found: ${JSON.stringify(body)}`);
		return account.id;
	}

	async function statusesOf(on: TernInstance, token: string, accountId: string) {
		const { body } = await on.api<Status[]>(`/api/v1/accounts/${accountId}/statuses?limit=40`, { token });
		return body;
	}

	it("an archive and a follows CSV from A bring the posts and the follows to B", async () => {
		const [mira, carol] = await Promise.all([a.createUser("mira"), a.createUser("carol")]);
		const [mira2, dave] = await Promise.all([b.createUser("mira2"), b.createUser("dave")]);
		const hostA = `localhost:${a.port}`;
		const hostB = `localhost:${b.port}`;

		const carolId = await find(a, mira.token, "carol");
		const daveOnA = await find(a, mira.token, `dave@${hostB}`);
		await a.api(`/api/v1/accounts/${carolId}/follow`, { method: "POST", token: mira.token });
		await a.api(`/api/v1/accounts/${daveOnA}/follow`, { method: "POST", token: mira.token });
		const first = await a.api<Status>("/api/v1/statuses", {
			method: "POST",
			token: mira.token,
			body: JSON.stringify({ status: "First post" }),
		});
		await a.api("/api/v1/statuses", {
			method: "POST",
			token: mira.token,
			body: JSON.stringify({ status: "Its reply", in_reply_to_id: first.body.id }),
		});
		await a.api("/api/v1/statuses", {
			method: "POST",
			token: mira.token,
			body: JSON.stringify({ status: "Secret", spoiler_text: "cw", visibility: "private" }),
		});

		const onA = await signIn(a.origin, mira.email, mira.password);
		expect((await onA.form("/settings/data/export", {})).status).toBe(303);
		const download = await eventually(
			async () => {
				const page = await (await onA.get("/settings/data")).text();
				return /id="export-download" href="([^"]+)"/.exec(page)?.[1];
			},
			"the archive on A",
			60_000,
		);
		const zip = new Uint8Array(await (await onA.get(download)).arrayBuffer());
		expect(zip.byteLength).toBeGreaterThan(100);
		const csv = await (await onA.get("/settings/data/csv/follows")).text();
		expect(csv.split("\n")[0]).toBe("Account address,Show boosts,Notify on new posts,Languages");

		const onB = await signIn(b.origin, mira2.email, mira2.password);
		const importId = await uploadArchive(onB, zip);
		await eventually(
			async () => {
				const { body } = await onB.json<{ state: string; percent: number }>(`/settings/data/imports/${importId}`, {
					method: "GET",
				});
				return body.state === "done" && body.percent === 100 ? true : undefined;
			},
			"the archive import on B",
			60_000,
		);
		const mira2Id = await find(b, mira2.token, "mira2");
		const original = await statusesOf(a, mira.token, await find(a, mira.token, "mira"));
		const copy = await statusesOf(b, mira2.token, mira2Id);
		expect(copy.map((s) => s.created_at)).toEqual(original.map((s) => s.created_at));
		expect(copy.map((s) => s.visibility)).toEqual(original.map((s) => s.visibility));
		expect(copy.map((s) => s.spoiler_text)).toEqual(original.map((s) => s.spoiler_text));
		const reply = copy.find((s) => s.in_reply_to_id !== null);
		expect(copy.find((s) => s.id === reply?.in_reply_to_id)?.content).toContain("First post");

		const form = new FormData();
		form.set("authenticity_token", onB.csrf);
		form.set("type", "following");
		form.set("mode", "merge");
		form.set("data", new File([csv], "following_accounts.csv", { type: "text/csv" }));
		const posted = await fetch(`${b.origin}/settings/data/import`, {
			method: "POST",
			headers: { Cookie: onB.cookie },
			body: form,
			redirect: "manual",
		});
		expect(posted.status).toBe(303);
		const csvImport = new URL(posted.headers.get("Location") ?? "", b.origin).searchParams.get("import") ?? "";
		await eventually(
			async () => {
				const { body } = await onB.json<{ state: string; imported_items: number }>(
					`/settings/data/imports/${csvImport}`,
					{ method: "GET" },
				);
				return body.state === "done" ? body : undefined;
			},
			"the follows import on B",
			60_000,
		);
		const carolOnB = await find(b, mira2.token, `carol@${hostA}`);
		const daveId = await find(b, mira2.token, "dave");
		await eventually(
			async () => {
				const { body } = await b.api<{ id: string; following: boolean }[]>(
					`/api/v1/accounts/relationships?id[]=${carolOnB}&id[]=${daveId}`,
					{ token: mira2.token },
				);
				return body.every((r) => r.following) ? true : undefined;
			},
			"mira2 following carol (on A) and dave (on B)",
			60_000,
		);
		void dave;
		void carol;
	}, 300_000);

	it("a member moves from A to B, and followers on A and on a Fedify peer follow the account on B", async () => {
		const [sam, ann] = await Promise.all([a.createUser("sam"), a.createUser("ann")]);
		const sam2 = await b.createUser("sam2");
		const hostA = `localhost:${a.port}`;
		const hostB = `localhost:${b.port}`;
		const samId = await find(a, ann.token, "sam");
		await a.api(`/api/v1/accounts/${samId}/follow`, { method: "POST", token: ann.token });
		// The peer follows sam on A, as any fediverse follower would.
		const samActor = await peer.lookup(sam.uri);
		if (!samActor?.id) throw new Error("The peer could not find sam");
		await peer.send(
			samActor as never,
			new Follow({ id: new URL(`${peer.origin}/follows/sam`), actor: new URL(peer.actorUri), object: samActor.id }),
		);
		await eventually(async () => {
			const { body } = await a.api<{ followers_count: number }>(`/api/v1/accounts/${samId}`, { token: sam.token });
			return body.followers_count >= 2 ? true : undefined;
		}, "sam's two followers on A");

		const onB = await signIn(b.origin, sam2.email, sam2.password);
		const aliased = await onB.form("/settings/aliases", { acct: `sam@${hostA}` });
		expect(aliased.status).toBe(200);
		const onA = await signIn(a.origin, sam.email, sam.password);
		const moved = await onA.form("/settings/migration", { acct: `sam2@${hostB}`, password: sam.password });
		expect(moved.status).toBe(303);

		// The peer gets the Move and does what Mastodon does: checks the alias and follows the new account.
		const move = (await peer.waitFor((activity) => activity instanceof Move, 60_000)) as Move;
		expect(move.targetId?.href).toBe(sam2.uri);
		const target = await peer.lookup(sam2.uri);
		if (!target?.id) throw new Error("The peer could not find sam2");
		expect(((await target.toJsonLd()) as { alsoKnownAs?: string | string[] }).alsoKnownAs).toContain(sam.uri);
		await peer.send(
			target as never,
			new Follow({ id: new URL(`${peer.origin}/follows/sam2`), actor: new URL(peer.actorUri), object: target.id }),
		);

		const sam2Id = await find(b, sam2.token, "sam2");
		await eventually(
			async () => {
				const { body } = await b.api<{ acct: string }[]>(`/api/v1/accounts/${sam2Id}/followers`, { token: sam2.token });
				const accts = body.map((x) => x.acct).sort();
				return accts.includes(`ann@${hostA}`) && accts.some((x) => x.startsWith("peer@")) ? accts : undefined;
			},
			"ann (on A) and the peer following sam2 on B",
			60_000,
		);
		const { body: oldProfile } = await a.api<{ moved?: { acct: string } }>(`/api/v1/accounts/${samId}`, {
			token: ann.token,
		});
		expect(oldProfile.moved?.acct).toBe(`sam2@${hostB}`);
	}, 300_000);
});
