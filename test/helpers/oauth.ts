import { expect } from "vitest";
import { api } from "./users";

export interface RegisteredTestApp {
	id: string;
	client_id: string;
	client_secret: string;
	scopes: string[];
}

export async function registerApp(
	options: { redirectUris?: string; scopes?: string; name?: string } = {},
): Promise<RegisteredTestApp> {
	const response = await api("/api/v1/apps", {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({
			client_name: options.name ?? "Test client",
			redirect_uris: options.redirectUris ?? "https://client.example/callback",
			scopes: options.scopes ?? "read write follow",
			website: "https://client.example",
		}),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as RegisteredTestApp;
}

/** A minimal cookie jar: enough for the server's own pages. */
export class CookieJar {
	readonly cookies = new Map<string, string>();
	take(response: Response): void {
		for (const header of response.headers.getSetCookie()) {
			const [pair] = header.split(";");
			const eq = pair?.indexOf("=") ?? -1;
			if (!pair || eq <= 0) continue;
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			if (value === "" || /Max-Age=0/i.test(header)) this.cookies.delete(name);
			else this.cookies.set(name, value);
		}
	}
	header(): string {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
	}
}

export function formField(html: string, name: string): string | undefined {
	const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
	return match?.[1]
		?.replace(/&amp;/g, "&")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&lt;/g, "<")
		.replace(/&gt;/g, ">");
}

export async function pageGet(path: string, jar: CookieJar): Promise<Response> {
	const response = await api(path, { headers: { Cookie: jar.header() } });
	jar.take(response);
	return response;
}

export async function formPost(path: string, jar: CookieJar, fields: Record<string, string>): Promise<Response> {
	const response = await api(path, {
		method: "POST",
		headers: { Cookie: jar.header(), "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams(fields).toString(),
	});
	jar.take(response);
	return response;
}

/** Signs in through the authorize page and returns the consent page's HTML. */
export async function signInAt(
	authorizePath: string,
	jar: CookieJar,
	email: string,
	password: string,
): Promise<string> {
	const signIn = await pageGet(authorizePath, jar);
	const html = await signIn.text();
	const csrf = formField(html, "authenticity_token");
	const returnTo = formField(html, "return_to");
	expect(csrf).toBeTruthy();
	const posted = await formPost("/auth/sign_in", jar, {
		authenticity_token: csrf ?? "",
		return_to: returnTo ?? "",
		email,
		password,
	});
	expect(posted.status).toBe(303);
	const consent = await pageGet(posted.headers.get("Location") ?? "", jar);
	expect(consent.status).toBe(200);
	return consent.text();
}

export async function s256(verifier: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
	return btoa(String.fromCharCode(...digest))
		.replace(/\+/g, "-")
		.replace(/\//g, "_")
		.replace(/=+$/, "");
}

export const PASSWORD = "correct horse battery staple";

/**
 * Follows a form whose password work takes several requests (a settings
 * action's check, a new password's hash, a sign-up) to its outcome, as a
 * browser does: its redirects, and the pages that move on by themselves.
 */
export async function followPasswordSteps(first: Response, jar: CookieJar) {
	let response = first;
	let steps = 0;
	let pauses = 0;
	for (;;) {
		let next: string | undefined;
		if (response.status === 303) next = response.headers.get("Location") ?? undefined;
		else if (response.status === 200) {
			next = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(await response.clone().text())?.[1];
			if (next) pauses++;
		}
		if (!next || !/\/(check|continue)\?work=/.test(next)) return { response, steps, pauses };
		steps++;
		response = await pageGet(next.replaceAll("&amp;", "&"), jar);
	}
}
