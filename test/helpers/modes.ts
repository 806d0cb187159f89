import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { handleFetch } from "../../src/http/app";

/** Calls the Worker with some vars changed (e.g. REGISTRATION_MODE) for one request. */
export async function apiWithVars(
	vars: Partial<Env>,
	path: string,
	init: RequestInit & { token?: string } = {},
): Promise<Response> {
	const headers = new Headers(init.headers);
	if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
	const ctx = createExecutionContext();
	const response = await handleFetch(
		new Request(`https://tern.test${path}`, { redirect: "manual", ...init, headers }),
		{ ...env, ...vars } as Env,
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return response;
}
