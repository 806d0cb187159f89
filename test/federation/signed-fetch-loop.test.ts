import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../../src/context";
import { signatureSpecPreferences } from "../../src/db/schema";
import { fetchActivityPubDocument } from "../../src/federation/fetch";
import { ensureInstanceActor } from "../../src/federation/instance-actor";
import { handleFetch } from "../../src/http/app";
import { ensureAccountKeys } from "../../src/services/accounts/keys";
import { createTestUser, db } from "../helpers/users";
import { insertStatus } from "./helpers";

const ctx = () => serviceContext(env);

/** Sends Tern's own outbound requests to this instance running with authorized fetch on. */
function loopToSecureInstance() {
	return vi
		.spyOn(globalThis, "fetch")
		.mockImplementation((input, init) =>
			handleFetch(new Request(input, init), { ...env, AUTHORIZED_FETCH: "true" }, createExecutionContext()),
		);
}

beforeAll(async () => {
	const actor = await ensureInstanceActor(ctx());
	await ensureAccountKeys(db(), env.KEY_ENCRYPTION_SECRET, actor.id);
});

afterEach(() => {
	vi.restoreAllMocks();
});

describe("Tern fetching from a Tern in authorized-fetch mode", () => {
	it("passes with the instance actor's draft-cavage signature", async () => {
		const author = (await createTestUser()).account;
		const status = await insertStatus(author, { content: "looped" });
		loopToSecureInstance();
		const { document } = await fetchActivityPubDocument(ctx(), status.uri);
		expect(document.id).toBe(status.uri);
		expect(document.content).toBe("<p>looped</p>");
	});

	it("passes with RFC 9421 when that is the host's remembered scheme", async () => {
		await db()
			.insert(signatureSpecPreferences)
			.values({ host: "tern.test", spec: "rfc9421", updatedAt: new Date() })
			.onConflictDoUpdate({ target: signatureSpecPreferences.host, set: { spec: "rfc9421" } });
		const author = (await createTestUser()).account;
		const spy = loopToSecureInstance();
		const { document } = await fetchActivityPubDocument(ctx(), `${author.uri}/outbox`);
		expect(document.type).toBe("OrderedCollection");
		const sent = spy.mock.calls[0]?.[1]?.headers as Headers;
		expect(new Headers(sent).has("signature-input")).toBe(true);
		await db().delete(signatureSpecPreferences).where(eq(signatureSpecPreferences.host, "tern.test"));
	});

	it("is refused unsigned", async () => {
		const author = (await createTestUser()).account;
		const status = await insertStatus(author);
		loopToSecureInstance();
		const error = await fetchActivityPubDocument(ctx(), status.uri, { signAs: false }).catch((e) => e);
		expect(error.status).toBe(401);
	});
});
