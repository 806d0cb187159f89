import { describe, expect, it } from "vitest";
import { errorResponse } from "../../src/http/error-response";
import { createRouter } from "../../src/http/router";
import { api } from "../helpers/users";

describe("errors", () => {
	it("answers unknown paths with a JSON 404", async () => {
		const response = await api("/api/v1/does-not-exist");
		expect(response.status).toBe(404);
		expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
		expect(await response.json()).toEqual({ error: "Not found" });
	});

	it("turns unexpected exceptions into a 500 without details", async () => {
		const router = createRouter();
		router.get("/boom", () => {
			throw new Error("secret stack detail at /src/internal.ts:12");
		});
		let response: Response;
		try {
			response = await router.fetch(new Request("https://tern.test/boom"), {} as never);
		} catch (error) {
			response = errorResponse(error);
		}
		expect(response.status).toBe(500);
		const text = await response.text();
		expect(JSON.parse(text)).toEqual({ error: "Internal server error" });
		expect(text).not.toContain("secret");
	});

	it("reports a misconfigured instance as a 500 without echoing the setting", async () => {
		const { ConfigError } = await import("../../src/config");
		const response = errorResponse(new ConfigError('INSTANCE_DOMAIN is not a valid host: "bad host"'));
		expect(response.status).toBe(500);
		expect(await response.json()).toEqual({ error: "The server is misconfigured" });
	});
});

describe("HEAD", () => {
	it("answers like GET without a body", async () => {
		const response = await api("/avatars/original/missing.png", { method: "HEAD" });
		expect(response.status).toBe(200);
		expect(response.headers.get("Content-Type")).toBe("image/png");
		expect(await response.text()).toBe("");
	});
});

describe("CORS", () => {
	it("answers API preflights for any origin, allowing Authorization", async () => {
		const response = await api("/api/v1/accounts/verify_credentials", {
			method: "OPTIONS",
			headers: {
				Origin: "https://elk.zone",
				"Access-Control-Request-Method": "GET",
				"Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
			},
		});
		expect(response.status).toBe(204);
		expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
		expect(response.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
		expect(response.headers.get("Access-Control-Allow-Methods")).toContain("PATCH");
	});

	it("exposes Link on API responses, errors included", async () => {
		const response = await api("/api/v1/accounts/verify_credentials", { headers: { Origin: "https://elk.zone" } });
		expect(response.status).toBe(401);
		expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
		expect(response.headers.get("Access-Control-Expose-Headers")).toContain("Link");
	});

	it("leaves non-API paths alone", async () => {
		const response = await api("/avatars/original/missing.png");
		expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
	});
});
