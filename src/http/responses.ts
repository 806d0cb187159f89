const JSON_TYPE = "application/json; charset=utf-8";

export function json(body: unknown, init: ResponseInit = {}): Response {
	const headers = new Headers(init.headers);
	if (!headers.has("Content-Type")) headers.set("Content-Type", JSON_TYPE);
	return new Response(JSON.stringify(body), { ...init, headers });
}

export function errorJson(status: number, error: string, extra: Record<string, unknown> = {}, headers?: HeadersInit) {
	return json({ error, ...extra }, { status, headers });
}
