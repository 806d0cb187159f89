import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { instanceSettings } from "../../src/db/schema";
import { ValidationError } from "../../src/lib/errors";
import {
	envWithSettings,
	forgetCachedSettings,
	instanceEnv,
	readInstanceSettings,
	writeInstanceSettings,
} from "../../src/services/instance/settings";
import { api, db } from "../helpers/users";

afterEach(async () => {
	await db().delete(instanceSettings);
	forgetCachedSettings(env);
});

describe("instance settings saved in D1", () => {
	it("override the Worker vars, but never a domain the vars set", async () => {
		await writeInstanceSettings(db(), { title: "Birds", registrationMode: "approval", domain: "birds.example" });
		const settled = envWithSettings(env, await readInstanceSettings(db()));
		expect(settled.INSTANCE_TITLE).toBe("Birds");
		expect(settled.REGISTRATION_MODE).toBe("approval");
		expect(settled.INSTANCE_DOMAIN).toBe("tern.test");
		expect(envWithSettings({ ...env, INSTANCE_DOMAIN: "" }, await readInstanceSettings(db())).INSTANCE_DOMAIN).toBe(
			"birds.example",
		);
	});

	it("reach requests once the isolate's copy is forgotten, and an empty value removes one", async () => {
		await writeInstanceSettings(db(), { title: "Birds" });
		forgetCachedSettings(env);
		const titled = (await (await api("/api/v2/instance")).json()) as { title: string };
		expect(titled.title).toBe("Birds");
		await writeInstanceSettings(db(), { title: "" });
		expect(await readInstanceSettings(db())).toEqual({});
		// Within the cache window the isolate keeps what it read; forgetting it reads again.
		expect((await instanceEnv(env, db())).INSTANCE_TITLE).toBe("Birds");
		forgetCachedSettings(env);
		expect((await instanceEnv(env, db())).INSTANCE_TITLE).toBe(env.INSTANCE_TITLE);
	});

	it("refuses bad values and saves nothing of the patch", async () => {
		await expect(writeInstanceSettings(db(), { title: "Fine", registrationMode: "sometimes" })).rejects.toThrow(
			ValidationError,
		);
		await expect(writeInstanceSettings(db(), { domain: "not a host" })).rejects.toThrow(ValidationError);
		await expect(writeInstanceSettings(db(), { title: "x".repeat(101) })).rejects.toThrow(ValidationError);
		expect(await readInstanceSettings(db())).toEqual({});
	});
});
