import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { instanceConfig } from "../../src/config";
import { accounts, instanceSettings, statuses } from "../../src/db/schema";
import { ensureInstanceActor } from "../../src/federation/instance-actor";
import { createLocalAccount } from "../../src/services/accounts/local-accounts";
import {
	changeDomain,
	DomainLockedError,
	hasFederated,
	PlaceholderDomainError,
} from "../../src/services/instance/domain";
import { forgetCachedSettings, writeInstanceSettings } from "../../src/services/instance/settings";
import { forgetSetupState } from "../../src/services/instance/setup";
import { apiWithVars } from "../helpers/modes";
import { createTestUser, db } from "../helpers/users";

beforeEach(async () => {
	await db().delete(instanceSettings);
	forgetCachedSettings(env);
	forgetSetupState(env.DB);
});

const configFor = (domain: string) => instanceConfig({ ...env, INSTANCE_DOMAIN: domain } as Env);
const storedDomain = async () =>
	(await db().select().from(instanceSettings).where(eq(instanceSettings.key, "domain")))[0]?.value;

describe("the domain accounts are made under", () => {
	it("is stored with the first account, and no account is made under another one", async () => {
		await createTestUser();
		expect(await storedDomain()).toBe("tern.test");
		await expect(
			createLocalAccount(db(), configFor("other.test"), {
				username: "elsewhere",
				email: "elsewhere@example.com",
				password: "a long enough password",
			}),
		).rejects.toThrow(DomainLockedError);
	});

	it("is never a placeholder", async () => {
		for (const domain of ["tern.example", "social.example.com", "x.invalid"]) {
			await expect(
				createLocalAccount(db(), configFor(domain), {
					username: "placeholder",
					email: "placeholder@example.com",
					password: "a long enough password",
				}),
			).rejects.toThrow(PlaceholderDomainError);
		}
		expect(await storedDomain()).toBeUndefined();
	});

	it("cannot be changed through the settings once stored", async () => {
		await writeInstanceSettings(db(), { domain: "tern.test" });
		await expect(writeInstanceSettings(db(), { domain: "moved.test" })).rejects.toThrow(DomainLockedError);
		await expect(writeInstanceSettings(db(), { domain: "" })).rejects.toThrow(DomainLockedError);
		await writeInstanceSettings(db(), { domain: "tern.test", title: "Same domain" });
		expect(await storedDomain()).toBe("tern.test");
	});
});

describe("a Worker whose INSTANCE_DOMAIN differs from the stored domain", () => {
	it("refuses to serve, with a page that explains why and what to do", async () => {
		await createTestUser();
		const vars = { INSTANCE_DOMAIN: "moved.test" };
		const page = await apiWithVars(vars, "/about", { headers: { Accept: "text/html" } });
		expect(page.status).toBe(503);
		const html = await page.text();
		expect(html).toContain("set up as <strong>tern.test</strong>");
		expect(html).toContain("INSTANCE_DOMAIN is <strong>moved.test</strong>");
		expect(html).toContain("npx tern domain set moved.test --remote");

		const api = await apiWithVars(vars, "/api/v2/instance");
		expect(api.status).toBe(503);
		expect(((await api.json()) as { error: string }).error).toMatch(/tern\.test.*cannot change.*moved\.test/);
		const webfinger = await apiWithVars(vars, "/.well-known/webfinger?resource=acct:someone@moved.test");
		expect(webfinger.status).toBe(503);
	});
});

describe("a placeholder domain", () => {
	it("serves no federation, while the client API still answers", async () => {
		const vars = { INSTANCE_DOMAIN: "tern.example" };
		for (const path of [
			"/.well-known/webfinger?resource=acct:someone@tern.example",
			"/.well-known/nodeinfo",
			"/.well-known/host-meta",
			"/nodeinfo/2.1",
			"/users/someone",
			"/actor",
		]) {
			const response = await apiWithVars(vars, path);
			expect(response.status, path).toBe(503);
			expect(((await response.json()) as { error: string }).error).toMatch(/placeholder/);
		}
		const inbox = await apiWithVars(vars, "/inbox", { method: "POST", body: "{}" });
		expect(inbox.status).toBe(503);
		expect((await apiWithVars(vars, "/api/v2/instance")).status).toBe(200);
	});

	it("makes setup say what to fix instead of asking for the secret", async () => {
		const page = await apiWithVars({ INSTANCE_DOMAIN: "tern.example" }, "/setup");
		expect(page.status).toBe(503);
		expect(await page.text()).toContain("The domain is a placeholder");
	});
});

describe("tern domain set", () => {
	it("moves a server that has not federated, rewriting every URI it made", async () => {
		const user = await createTestUser({ username: "mover" });
		await ensureInstanceActor({ env, db: db(), config: configFor("tern.test") });
		const posted = await apiWithVars({}, "/api/v1/statuses", {
			method: "POST",
			token: user.token,
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ status: "before the move" }),
		});
		expect(posted.status).toBe(200);
		const { id } = (await posted.json()) as { id: string };
		expect(await hasFederated(db())).toBe(false);

		const change = await changeDomain(db(), "https", "Moved.Test");
		expect(change).toMatchObject({ from: "tern.test", to: "moved.test" });
		expect(change.changed).toBeGreaterThan(8);
		expect(await storedDomain()).toBe("moved.test");
		const [account] = await db().select().from(accounts).where(eq(accounts.id, user.account.id));
		expect(account).toMatchObject({
			uri: "https://moved.test/users/mover",
			url: "https://moved.test/@mover",
			inboxUrl: "https://moved.test/users/mover/inbox",
			sharedInboxUrl: "https://moved.test/inbox",
		});
		const [status] = await db().select().from(statuses).where(eq(statuses.id, id));
		expect(status?.uri).toBe(`https://moved.test/users/mover/statuses/${id}`);
		const actor = await db().select().from(accounts).where(eq(accounts.actorType, "Application"));
		expect(actor.map((a) => [a.username, a.uri])).toEqual([["moved.test", "https://moved.test/actor"]]);
	});

	it("refuses once other servers may know the domain", async () => {
		await createTestUser();
		await db().insert(accounts).values({
			id: "100000000000000001",
			username: "remote",
			domain: "peer.test",
			uri: "https://peer.test/users/remote",
			createdAt: new Date(),
			updatedAt: new Date(),
		});
		expect(await hasFederated(db())).toBe(true);
		await expect(changeDomain(db(), "https", "moved.test")).rejects.toThrow(/already federated/);
		expect(await storedDomain()).toBe("tern.test");
		await expect(changeDomain(db(), "https", "moved.example")).rejects.toThrow(PlaceholderDomainError);
	});
});
