import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { accounts, instanceRules, instanceSettings, signInFailures, users, webSessions } from "../../src/db/schema";
import { handleFetch } from "../../src/http/app";
import { forgetCachedSettings } from "../../src/services/instance/settings";
import { forgetSetupState, SETUP_MAX_FAILURES_PER_ADDRESS } from "../../src/services/instance/setup";
import { CookieJar, formField } from "../helpers/oauth";
import { createTestUser, db } from "../helpers/users";

/** As a fresh deployment is: INSTANCE_DOMAIN left empty, so setup takes the address it is opened at. */
const FRESH: Partial<Env> = { INSTANCE_DOMAIN: "" };
const HOST = "tern-abc.example-account.workers.dev";

async function send(
	path: string,
	init: RequestInit & { jar?: CookieJar; form?: Record<string, string>; vars?: Partial<Env>; ip?: string } = {},
) {
	const headers = new Headers(init.headers);
	if (init.jar) headers.set("Cookie", init.jar.header());
	if (init.ip) headers.set("CF-Connecting-IP", init.ip);
	let body = init.body;
	if (init.form) {
		headers.set("Content-Type", "application/x-www-form-urlencoded");
		body = new URLSearchParams(init.form).toString();
	}
	const ctx = createExecutionContext();
	const response = await handleFetch(
		new Request(`https://${HOST}${path}`, {
			method: init.form ? "POST" : "GET",
			...init,
			headers,
			body,
			redirect: "manual",
		}),
		{ ...env, ...FRESH, ...init.vars } as Env,
		ctx,
	);
	await waitOnExecutionContext(ctx);
	init.jar?.take(response);
	return response;
}

/** Opens /setup and proves the secret; returns the second step's hidden fields. */
async function proveSecret(jar: CookieJar, secret = env.KEY_ENCRYPTION_SECRET) {
	const first = await send("/setup", { jar });
	expect(first.status).toBe(200);
	const response = await send("/setup", {
		jar,
		form: { authenticity_token: formField(await first.text(), "authenticity_token") ?? "", secret },
	});
	const html = await response.text();
	return { response, html, csrf: formField(html, "authenticity_token") ?? "", proof: formField(html, "proof") ?? "" };
}

const ADMIN = {
	username: "owner",
	email: "Owner@Example.org",
	password: "a long admin password",
	title: "Birdwatchers",
	description: "Birds, mostly.",
	rules: "Be kind\n\n  No spam  \n",
	registration_mode: "approval",
};

beforeEach(async () => {
	// Every test starts from a server nobody has set up: no admin, no stored settings.
	await env.DB.batch(
		[
			"web_sessions",
			"account_keys",
			"users",
			"accounts",
			"instance_rules",
			"instance_settings",
			"sign_in_failures",
		].map((table) => env.DB.prepare(`delete from ${table}`)),
	);
	forgetSetupState(env.DB);
	forgetCachedSettings(env);
});

describe("a new server without a domain or an admin", () => {
	it("sends / to /setup and answers everything else 503 until set up", async () => {
		const root = await send("/");
		expect(root.status).toBe(302);
		expect(root.headers.get("Location")).toBe("/setup");

		const api = await send("/api/v2/instance");
		expect(api.status).toBe(503);
		expect(await api.json()).toEqual({ error: "This server is not set up yet" });

		const page = await send("/users/someone", { headers: { Accept: "text/html" } });
		expect(page.status).toBe(503);
		expect(await page.text()).toContain('<a href="/setup">/setup</a>');
	});

	it("refuses a wrong secret, then takes the right one and shows the domain it will keep", async () => {
		const jar = new CookieJar();
		const wrong = await proveSecret(jar, "not the secret at all, though long enough");
		expect(wrong.response.status).toBe(401);
		expect(wrong.html).toContain("That is not this deployment&#39;s KEY_ENCRYPTION_SECRET");
		expect(wrong.proof).toBe("");
		expect(await db().select().from(signInFailures)).toHaveLength(1);

		const right = await proveSecret(jar);
		expect(right.response.status).toBe(200);
		expect(right.proof).toMatch(/^\d+\.[\w-]+$/);
		expect(right.html).toContain(`@name@${HOST}`);
		expect(right.html).toContain("the address you opened this page at");
	});

	it("refuses a form without its CSRF token, and a second step whose proof was altered", async () => {
		const jar = new CookieJar();
		await send("/setup", { jar });
		const noToken = await send("/setup", { jar, form: { secret: env.KEY_ENCRYPTION_SECRET } });
		expect(noToken.status).toBe(403);

		const { csrf, proof } = await proveSecret(jar);
		const [expires, mac] = proof.split(".");
		const forged = await send("/setup/finish", {
			jar,
			form: { ...ADMIN, authenticity_token: csrf, proof: `${Number(expires) + 1000}.${mac}` },
		});
		expect(forged.status).toBe(403);
		// Another browser (another form cookie) cannot use this one's proof either.
		const other = new CookieJar();
		await send("/setup", { jar: other });
		const stolen = await send("/setup/finish", { jar: other, form: { ...ADMIN, authenticity_token: csrf, proof } });
		expect(stolen.status).toBe(403);
		expect(await db().select().from(users)).toEqual([]);
	});

	it("slows down guessing: after too many wrong secrets from one address even the right one waits", async () => {
		const jar = new CookieJar();
		for (let i = 0; i < SETUP_MAX_FAILURES_PER_ADDRESS; i++) {
			const first = await send("/setup", { jar, ip: "198.51.100.7" });
			const wrong = await send("/setup", {
				jar,
				ip: "198.51.100.7",
				form: {
					authenticity_token: formField(await first.text(), "authenticity_token") ?? "",
					secret: `wrong guess number ${i} of many`,
				},
			});
			expect(wrong.status).toBe(401);
		}
		const first = await send("/setup", { jar, ip: "198.51.100.7" });
		const blocked = await send("/setup", {
			jar,
			ip: "198.51.100.7",
			form: {
				authenticity_token: formField(await first.text(), "authenticity_token") ?? "",
				secret: env.KEY_ENCRYPTION_SECRET,
			},
		});
		expect(blocked.status).toBe(429);
		// Another address is not held back by this one's failures.
		const elsewhere = new CookieJar();
		const page = await send("/setup", { jar: elsewhere, ip: "203.0.113.9" });
		const proven = await send("/setup", {
			jar: elsewhere,
			ip: "203.0.113.9",
			form: {
				authenticity_token: formField(await page.text(), "authenticity_token") ?? "",
				secret: env.KEY_ENCRYPTION_SECRET,
			},
		});
		expect(proven.status).toBe(200);
	});

	it("explains what to fix when the deployment has no usable secret", async () => {
		for (const secret of ["", "short", "replace-with-at-least-32-random-characters"]) {
			const page = await send("/setup", { vars: { KEY_ENCRYPTION_SECRET: secret } });
			expect(page.status).toBe(503);
			expect(await page.text()).toContain("One secret is missing");
		}
	});

	it("keeps what was typed when a field is wrong, and makes nothing", async () => {
		const jar = new CookieJar();
		const { csrf, proof } = await proveSecret(jar);
		const response = await send("/setup/finish", {
			jar,
			form: { ...ADMIN, password: "short", authenticity_token: csrf, proof },
		});
		expect(response.status).toBe(422);
		const html = await response.text();
		expect(html).toContain('value="owner"');
		expect(html).toContain("Birdwatchers");
		expect(await db().select().from(users)).toEqual([]);
		expect(await db().select().from(instanceSettings)).toEqual([]);
	});

	it("makes the admin, stores the domain and settings, signs the admin in, and never opens again", async () => {
		const jar = new CookieJar();
		const { csrf, proof } = await proveSecret(jar);
		const done = await send("/setup/finish", { jar, form: { ...ADMIN, authenticity_token: csrf, proof } });
		expect(done.status).toBe(200);
		expect(await done.text()).toContain(`@owner@${HOST}`);
		expect(jar.cookies.get("tern_session")).toBeTruthy();

		const [admin] = await db()
			.select({ user: users, account: accounts })
			.from(users)
			.innerJoin(accounts, eq(accounts.id, users.accountId));
		expect(admin?.user).toMatchObject({ role: "admin", email: "owner@example.org", approved: true });
		expect(admin?.user.confirmedAt).toBeInstanceOf(Date);
		expect(admin?.account.uri).toBe(`https://${HOST}/users/owner`);
		expect(await db().select().from(webSessions)).toHaveLength(1);

		const settings = Object.fromEntries(
			(await db().select().from(instanceSettings)).map((row) => [row.key, row.value]),
		);
		expect(settings).toMatchObject({
			domain: HOST,
			title: "Birdwatchers",
			description: "Birds, mostly.",
			contactEmail: "owner@example.org",
			registrationMode: "approval",
		});
		expect(settings.setup_completed_at).toBeTruthy();
		expect((await db().select().from(instanceRules)).map((rule) => rule.text)).toEqual(["Be kind", "No spam"]);

		// From now on the stored domain and settings are the instance's.
		const instance = (await (await send("/api/v2/instance")).json()) as {
			domain: string;
			title: string;
			registrations: { enabled: boolean; approval_required: boolean };
		};
		expect(instance).toMatchObject({
			domain: HOST,
			title: "Birdwatchers",
			registrations: { enabled: true, approval_required: true },
		});
		for (const path of ["/setup", "/setup/finish"]) expect((await send(path)).status).toBe(404);
		const again = await send("/setup/finish", {
			jar,
			form: { ...ADMIN, username: "second", authenticity_token: csrf, proof },
		});
		expect(again.status).toBe(404);
		expect((await send("/")).status).toBe(404);
		expect(await db().select().from(users)).toHaveLength(1);
	});
});

describe("a server whose domain is set", () => {
	it("sends / to /setup while it has no admin, and not once the CLI made one", async () => {
		const vars = { INSTANCE_DOMAIN: "tern.test" };
		expect((await send("/", { vars })).headers.get("Location")).toBe("/setup");
		expect((await send("/api/v2/instance", { vars })).status).toBe(200);
		await createTestUser({ role: "admin" });
		forgetSetupState(env.DB);
		expect((await send("/", { vars })).status).toBe(404);
		expect((await send("/setup", { vars })).status).toBe(404);
		// The marker keeps setup closed even if that admin is later demoted.
		await db().update(users).set({ role: "user" });
		forgetSetupState(env.DB);
		expect((await send("/setup", { vars })).status).toBe(404);
	});

	it("uses the configured domain, not the address setup is opened at", async () => {
		const vars = { INSTANCE_DOMAIN: "tern.test" };
		const jar = new CookieJar();
		const first = await send("/setup", { jar, vars });
		const step = await send("/setup", {
			jar,
			vars,
			form: {
				authenticity_token: formField(await first.text(), "authenticity_token") ?? "",
				secret: env.KEY_ENCRYPTION_SECRET,
			},
		});
		const html = await step.text();
		expect(html).toContain("@name@tern.test");
		const done = await send("/setup/finish", {
			jar,
			vars,
			form: {
				...ADMIN,
				authenticity_token: formField(html, "authenticity_token") ?? "",
				proof: formField(html, "proof") ?? "",
			},
		});
		expect(done.status).toBe(200);
		const [account] = await db().select().from(accounts);
		expect(account?.uri).toBe("https://tern.test/users/owner");
	});
});
