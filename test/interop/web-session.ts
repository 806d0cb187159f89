/**
 * Signing in to a Tern instance the way a browser does (the sign-in form with
 * its CSRF cookie), for tests that drive the member's settings pages over HTTP.
 */
export interface WebSession {
	origin: string;
	cookie: string;
	/** The page's CSRF token (the same for every page of one session). */
	csrf: string;
	get(path: string): Promise<Response>;
	form(path: string, fields: Record<string, string>): Promise<Response>;
	json<T>(path: string, init: { method: string; body?: unknown }): Promise<{ status: number; body: T }>;
}

function cookieOf(response: Response, name: string): string | undefined {
	for (const header of response.headers.getSetCookie()) {
		const match = new RegExp(`^${name}=([^;]*)`).exec(header);
		if (match) return match[1];
	}
	return undefined;
}

export async function signIn(origin: string, email: string, password: string): Promise<WebSession> {
	const page = await fetch(`${origin}/auth/sign_in`);
	const formCookie = cookieOf(page, "tern_form");
	const token = /name="authenticity_token" value="([^"]+)"/.exec(await page.text())?.[1];
	if (!formCookie || !token) throw new Error("The sign-in page gave no form cookie or token");
	let response = await fetch(`${origin}/auth/sign_in`, {
		method: "POST",
		headers: { Cookie: `tern_form=${formCookie}`, "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams({ authenticity_token: token, email, password }),
		redirect: "manual",
	});
	// The password work takes a few requests, each a 303 to the next, in the same browser.
	for (;;) {
		const next = response.headers.get("Location");
		if (response.status !== 303 || !next?.startsWith("/auth/sign_in/continue")) break;
		response = await fetch(`${origin}${next}`, { headers: { Cookie: `tern_form=${formCookie}` }, redirect: "manual" });
	}
	const session = cookieOf(response, "tern_session");
	if (!session) throw new Error(`Sign-in failed (${response.status}): ${await response.text()}`);
	const cookie = `tern_session=${session}`;
	const settings = await fetch(`${origin}/settings/data`, { headers: { Cookie: cookie } });
	const csrf = /data-csrf="([^"]+)"/.exec(await settings.text())?.[1];
	if (!csrf) throw new Error("The data page gave no CSRF token");
	return {
		origin,
		cookie,
		csrf,
		get: (path) => fetch(`${origin}${path}`, { headers: { Cookie: cookie }, redirect: "manual" }),
		async form(path, fields) {
			let response = await fetch(`${origin}${path}`, {
				method: "POST",
				headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams({ authenticity_token: csrf, ...fields }),
				redirect: "manual",
			});
			// An action that asks for the password checks it over a few requests (303s, and now and
			// then a page that moves on by itself), as a browser follows them.
			for (;;) {
				let next = response.status === 303 ? response.headers.get("Location") : null;
				if (response.status === 200) {
					const refresh = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(await response.clone().text());
					next = refresh?.[1]?.replaceAll("&amp;", "&") ?? null;
				}
				if (!next || !/\/check\?work=/.test(next)) return response;
				response = await fetch(`${origin}${next}`, { headers: { Cookie: cookie }, redirect: "manual" });
			}
		},
		async json<T>(path: string, init: { method: string; body?: unknown }) {
			const response = await fetch(`${origin}${path}`, {
				method: init.method,
				headers: { Cookie: cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json" },
				body: init.body === undefined ? undefined : JSON.stringify(init.body),
			});
			return { status: response.status, body: (await response.json()) as T };
		},
	};
}

/** Sends an archive the way the data page's script does: an R2 multipart upload, part by part. */
export async function uploadArchive(session: WebSession, bytes: Uint8Array, filename = "archive.zip"): Promise<string> {
	const started = await session.json<{ id: string; part_size: number; parts: number; error?: string }>(
		"/settings/data/archive/uploads",
		{ method: "POST", body: { filename, size: bytes.byteLength } },
	);
	if (started.status !== 200) throw new Error(`Upload refused: ${JSON.stringify(started.body)}`);
	const { id, part_size: partSize, parts } = started.body;
	const uploaded = [];
	for (let n = 1; n <= parts; n++) {
		const response = await fetch(`${session.origin}/settings/data/archive/uploads/${id}/parts/${n}`, {
			method: "PUT",
			headers: { Cookie: session.cookie, "X-CSRF-Token": session.csrf },
			body: bytes.slice((n - 1) * partSize, n * partSize),
		});
		if (!response.ok) throw new Error(`Part ${n} failed: ${await response.text()}`);
		uploaded.push(await response.json());
	}
	const done = await session.json<{ id: string }>(`/settings/data/archive/uploads/${id}/complete`, {
		method: "POST",
		body: { parts: uploaded },
	});
	if (done.status !== 200) throw new Error(`Completing the upload failed: ${JSON.stringify(done.body)}`);
	return id;
}
