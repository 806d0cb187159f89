import { eq } from "drizzle-orm";
import { type Account, follows, type Status, statuses } from "../../src/db/schema";
import { newId } from "../../src/lib/ids";
import { type FakeActor, fakeActor, PUBLIC, storeActor } from "./fediverse";
import { createTestUser, db, type TestUser } from "./users";

/** A fixture moved onto the fake peer's origin, so the peer may speak for it. */
export function rehome<T>(fixture: T, fromActor: string, peer: FakeActor): T {
	const fromOrigin = new URL(fromActor).origin;
	const text = JSON.stringify(fixture).replaceAll(fromActor, peer.uri).replaceAll(fromOrigin, `https://${peer.domain}`);
	return JSON.parse(text) as T;
}

export async function statusByUri(uri: string): Promise<Status | undefined> {
	const [row] = await db().select().from(statuses).where(eq(statuses.uri, uri));
	return row;
}

export async function followedPeer(): Promise<{ peer: FakeActor; remote: Account; alice: TestUser }> {
	const peer = await fakeActor();
	const remote = await storeActor(peer);
	const alice = await createTestUser();
	await db()
		.insert(follows)
		.values({ id: newId(), accountId: alice.account.id, targetAccountId: remote.id, createdAt: new Date() });
	return { peer, remote, alice };
}

export function create(peer: FakeActor, object: Record<string, unknown>) {
	return { id: `${object.id}/activity`, type: "Create", actor: peer.uri, to: object.to, cc: object.cc, object };
}

export function note(peer: FakeActor, extra: Record<string, unknown> = {}) {
	return {
		id: `${peer.uri}/statuses/${crypto.randomUUID()}`,
		type: "Note",
		attributedTo: peer.uri,
		content: "<p>hello <script>x()</script>world</p>",
		published: "2024-05-01T10:00:00Z",
		to: [PUBLIC],
		cc: [`${peer.uri}/followers`],
		...extra,
	};
}
