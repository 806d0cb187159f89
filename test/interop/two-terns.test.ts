import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTern, type TernInstance } from "./tern-instance";

interface Status {
	id: string;
	uri: string;
	content: string;
	replies_count: number;
	account: { acct: string };
}

/**
 * Two Tern instances that follow each other and exchange a post and a reply.
 * Neither client API resolves a remote handle yet (no /api/v2/search), and
 * WebFinger discovery is https-only, so each instance is first told the other
 * account's actor URI with a bare row, which the federation layer then
 * refetches and completes like any other remote actor.
 */
describe("two Tern instances", () => {
	let a: TernInstance;
	let b: TernInstance;
	let alice: { username: string; token: string; uri: string };
	let bob: { username: string; token: string; uri: string };

	beforeAll(async () => {
		[a, b] = await Promise.all([startTern(8819), startTern(8820)]);
		[alice, bob] = await Promise.all([a.createUser("alice"), b.createUser("bob")]);
	}, 180_000);

	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop()]);
	});

	async function know(on: TernInstance, other: TernInstance, username: string): Promise<string> {
		const uri = `${other.origin}/users/${username}`;
		const id = `9${Date.now()}`.slice(0, 18);
		const now = Date.now();
		await on.sql(
			`insert into accounts (id, username, domain, uri, inbox_url, shared_inbox_url, created_at, updated_at)
			values ('${id}', '${username}', 'localhost:${other.port}', '${uri}', '${uri}/inbox', '${other.origin}/inbox', ${now}, ${now})`,
		);
		return id;
	}

	async function followEachOther() {
		const bobOnA = await know(a, b, "bob");
		const aliceOnB = await know(b, a, "alice");
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
