import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../node/free-port";
import { eventually, startTern, type TernInstance } from "./tern-instance";

interface Status {
	id: string;
	uri: string;
	content: string;
	replies_count: number;
	account: { acct: string };
}

/**
 * Two Tern instances that find each other's accounts by handle (search with
 * resolve=true: WebFinger, then the actor document), follow each other and
 * exchange a post and a reply.
 */
describe("two Tern instances", () => {
	let a: TernInstance;
	let b: TernInstance;
	let alice: { username: string; token: string; uri: string };
	let bob: { username: string; token: string; uri: string };

	beforeAll(async () => {
		const [portA, portB] = (await freePorts(2)) as [number, number];
		[a, b] = await Promise.all([startTern(portA), startTern(portB)]);
		[alice, bob] = await Promise.all([a.createUser("alice"), b.createUser("bob")]);
	}, 600_000);

	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop()]);
	});

	/** Looks `username@other` up from `on` the way an app does: search with resolve=true. */
	async function find(on: TernInstance, token: string, other: TernInstance, username: string): Promise<string> {
		const handle = `${username}@localhost:${other.port}`;
		const { status, body } = await on.api<{ accounts: { id: string; acct: string }[] }>(
			`/api/v2/search?q=${encodeURIComponent(handle)}&resolve=true&type=accounts`,
			{ token },
		);
		expect(status).toBe(200);
		const account = body.accounts.find((a) => a.acct === handle);
		if (!account) throw new Error(`${handle} was not found from ${on.origin}: ${JSON.stringify(body)}`);
		return account.id;
	}

	async function followEachOther() {
		const bobOnA = await find(a, alice.token, b, "bob");
		const aliceOnB = await find(b, bob.token, a, "alice");
		const followed = await a.api<{ following: boolean; requested: boolean }>(`/api/v1/accounts/${bobOnA}/follow`, {
			method: "POST",
			token: alice.token,
		});
		expect(followed.status).toBe(200);
		await b.api(`/api/v1/accounts/${aliceOnB}/follow`, { method: "POST", token: bob.token });
		return { bobOnA, aliceOnB };
	}

	it("follow each other, exchange a post and a reply", async () => {
		const { bobOnA, aliceOnB } = await followEachOther();
		await eventually(async () => {
			const { body } = await a.api<{ following: boolean }[]>(`/api/v1/accounts/relationships?id[]=${bobOnA}`, {
				token: alice.token,
			});
			return body[0]?.following ? true : undefined;
		}, "alice following bob (Accept from B)");
		await eventually(async () => {
			const { body } = await b.api<{ following: boolean }[]>(`/api/v1/accounts/relationships?id[]=${aliceOnB}`, {
				token: bob.token,
			});
			return body[0]?.following ? true : undefined;
		}, "bob following alice (Accept from A)");

		const posted = await b.api<Status>("/api/v1/statuses", {
			method: "POST",
			token: bob.token,
			body: JSON.stringify({ status: "Hello from B", visibility: "public" }),
		});
		expect(posted.status).toBe(200);
		const onA = await eventually(async () => {
			const { body } = await a.api<Status[]>("/api/v1/timelines/home", { token: alice.token });
			return body.find((s) => s.uri === posted.body.uri);
		}, "bob's post in alice's home timeline");
		expect(onA.content).toContain("Hello from B");

		const reply = await a.api<Status>("/api/v1/statuses", {
			method: "POST",
			token: alice.token,
			body: JSON.stringify({ status: "@bob@localhost:8820 Hello back from A", in_reply_to_id: onA.id }),
		});
		expect(reply.status).toBe(200);
		await eventually(async () => {
			const { body } = await b.api<Status>(`/api/v1/statuses/${posted.body.id}`, { token: bob.token });
			return body.replies_count === 1 ? true : undefined;
		}, "the reply counted on B");
		const { body: context } = await b.api<{ descendants: Status[] }>(`/api/v1/statuses/${posted.body.id}/context`, {
			token: bob.token,
		});
		expect(context.descendants.map((d) => d.uri)).toContain(reply.body.uri);
	});
});
