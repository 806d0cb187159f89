/**
 * The one way Tern talks to other servers. Every outbound request goes
 * through `outboundFetch`, which:
 * - allows only http(s) to public addresses (see address-guard.ts and its
 *   limits), re-checked on every redirect hop; redirects are followed by hand
 *   up to a cap;
 * - signs with a local actor's key (the instance actor by default), with
 *   draft-cavage first and RFC 9421 on a 401 ("double-knock"), remembering
 *   per host which scheme worked;
 * - aborts after a timeout and stops reading a body past a size cap.
 * `fetchActivityPubDocument` adds what fetching an ActivityPub object needs:
 * the Accept header, the content-type check and the id-versus-URL check.
 */
import { eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../context";
import { signatureSpecPreferences } from "../db/schema";
import { urlRefusal } from "./address-guard";
import { fetchRefusedByPolicy } from "./domain-gates";
import { otherSpec, type SignatureSpec, type SigningKey, signRequest } from "./signatures";
import { instanceSigningKeys, loadSigningKeys } from "./signing-keys";
import { SOFTWARE } from "./software";

export const ACTIVITYPUB_ACCEPT =
	'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
export const ACTIVITYPUB_CONTENT_TYPE = "application/activity+json";
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PRESERVING_REDIRECTS = new Set([307, 308]);

export type FetchErrorCode =
	| "refused"
	| "timeout"
	| "too_large"
	| "too_many_redirects"
	| "network"
	| "no_keys"
	| "http_status"
	| "invalid_document";

export class FetchError extends Error {
	constructor(
		message: string,
		readonly code: FetchErrorCode,
		/** The HTTP status for `http_status` errors (404 and 410 tell a deleted object). */
		readonly status?: number,
	) {
		super(message);
	}
}

/** Who signs: the instance actor (default), a local account by id, or nobody. */
export type SignAs = "instance" | { accountId: string } | false;

export interface OutboundRequest {
	method?: "GET" | "POST";
	headers?: HeadersInit;
	/** Sent as-is and covered by the digest; bytes for binary payloads (encrypted Web Push messages). */
	body?: string | Uint8Array<ArrayBuffer>;
	signAs?: SignAs;
	/** The key `signAs` names, already loaded (a delivery run signs many requests with one key). */
	signingKey?: SigningKey;
	/** The signature scheme to knock with first, when the caller already read the host's preference. */
	spec?: SignatureSpec;
	timeoutMs?: number;
	maxBytes?: number;
	maxRedirects?: number;
	/**
	 * Skip the instance's domain blocks: only for requests that are not
	 * federation (Web Push endpoints belong to push services, not to peers).
	 */
	ignoreDomainPolicy?: boolean;
}

export interface OutboundResponse {
	status: number;
	/** The URL that answered, after redirects. */
	url: string;
	headers: Headers;
	body: Uint8Array;
	text(): string;
}

async function signingKeyFor(ctx: ServiceContext, signAs: SignAs): Promise<SigningKey | null> {
	if (signAs === false) return null;
	if (signAs === "instance") return (await instanceSigningKeys(ctx))?.rsa ?? null;
	const keys = await loadSigningKeys(ctx, signAs.accountId);
	if (!keys) throw new FetchError("The account has no signing keys yet", "no_keys");
	return keys.rsa;
}

async function preferredSpec(ctx: ServiceContext, host: string): Promise<SignatureSpec> {
	const rows = await ctx.db
		.select({ spec: signatureSpecPreferences.spec })
		.from(signatureSpecPreferences)
		.where(eq(signatureSpecPreferences.host, host))
		.limit(1);
	return rows[0]?.spec ?? "cavage";
}

/** The remembered scheme of each of `hosts` that has one (one query for a whole delivery run). */
export async function preferredSpecs(
	ctx: Pick<ServiceContext, "db">,
	hosts: string[],
): Promise<Map<string, SignatureSpec>> {
	if (hosts.length === 0) return new Map();
	const rows = await ctx.db
		.select({ host: signatureSpecPreferences.host, spec: signatureSpecPreferences.spec })
		.from(signatureSpecPreferences)
		.where(inArray(signatureSpecPreferences.host, hosts));
	return new Map(rows.map((row) => [row.host, row.spec]));
}

async function rememberSpec(ctx: ServiceContext, host: string, spec: SignatureSpec): Promise<void> {
	const now = new Date();
	await ctx.db
		.insert(signatureSpecPreferences)
		.values({ host, spec, updatedAt: now })
		.onConflictDoUpdate({ target: signatureSpecPreferences.host, set: { spec, updatedAt: now } });
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array> {
	const declared = Number(response.headers.get("content-length"));
	if (Number.isFinite(declared) && declared > maxBytes) {
		await response.body?.cancel();
		throw new FetchError(`Response is larger than ${maxBytes} bytes`, "too_large");
	}
	if (!response.body) return new Uint8Array(0);
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	while (true) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel();
			throw new FetchError(`Response is larger than ${maxBytes} bytes`, "too_large");
		}
		chunks.push(value);
	}
	const out = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return out;
}

interface Attempt {
	url: string;
	method: "GET" | "POST";
	headers: HeadersInit | undefined;
	body: string | Uint8Array<ArrayBuffer> | undefined;
	key: SigningKey | null;
	spec: SignatureSpec;
	signal: AbortSignal;
	userAgent: string;
}

async function send(attempt: Attempt): Promise<Response> {
	const headers = new Headers(attempt.headers);
	if (!headers.has("User-Agent")) headers.set("User-Agent", attempt.userAgent);
	if (attempt.body !== undefined && !headers.has("Content-Type")) headers.set("Content-Type", ACTIVITYPUB_CONTENT_TYPE);
	if (attempt.key) {
		await signRequest(
			{ method: attempt.method, url: attempt.url, headers, body: attempt.body },
			attempt.key,
			attempt.spec,
		);
	}
	return fetch(attempt.url, {
		method: attempt.method,
		headers,
		body: attempt.body,
		redirect: "manual",
		signal: attempt.signal,
	});
}

export async function outboundFetch(
	ctx: ServiceContext,
	url: string,
	request: OutboundRequest = {},
): Promise<OutboundResponse> {
	const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
	const signal = AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
	let current: URL;
	try {
		current = new URL(url);
	} catch {
		throw new FetchError(`Not a URL: ${url}`, "refused");
	}
	const policed = !request.ignoreDomainPolicy;
	// Checked before any key is loaded: a blocked host costs nothing more.
	if (policed && (await fetchRefusedByPolicy(ctx, current.host))) {
		throw new FetchError(`${current.host} is blocked by this server`, "refused");
	}
	const key = request.signingKey ?? (await signingKeyFor(ctx, request.signAs ?? "instance"));
	const method = request.method ?? "GET";
	const body = request.body;
	try {
		for (let hop = 0; ; hop++) {
			const refusal = urlRefusal(current, ctx.config.allowPrivateAddresses);
			if (refusal) throw new FetchError(`${refusal}: ${current.href}`, "refused");
			if (policed && hop > 0 && (await fetchRefusedByPolicy(ctx, current.host))) {
				throw new FetchError(`${current.host} is blocked by this server`, "refused");
			}
			const host = current.host.toLowerCase();
			const spec = key ? (hop === 0 && request.spec ? request.spec : await preferredSpec(ctx, host)) : "cavage";
			const attempt: Attempt = {
				url: current.href,
				method,
				headers: request.headers,
				body,
				key,
				spec,
				signal,
				userAgent: `Tern/${SOFTWARE.version} (+${ctx.config.origin}/)`,
			};
			let response = await send(attempt);
			if (key && response.status === 401) {
				await response.body?.cancel();
				const retry = await send({ ...attempt, spec: otherSpec(spec) });
				if (retry.status !== 401) await rememberSpec(ctx, host, otherSpec(spec));
				response = retry;
			}
			const location = response.headers.get("location");
			// A POST is only re-sent where 307/308 say to; turning a delivery into a GET
			// would report success for an activity nobody received.
			const follow =
				method === "GET" ? REDIRECT_STATUSES.has(response.status) : PRESERVING_REDIRECTS.has(response.status);
			if (follow && location) {
				await response.body?.cancel();
				if (hop >= maxRedirects) throw new FetchError(`More than ${maxRedirects} redirects`, "too_many_redirects");
				current = new URL(location, current);
				continue;
			}
			const bytes = await readCapped(response, request.maxBytes ?? DEFAULT_MAX_BYTES);
			return {
				status: response.status,
				url: current.href,
				headers: response.headers,
				body: bytes,
				text: () => new TextDecoder().decode(bytes),
			};
		}
	} catch (error) {
		if (error instanceof FetchError) throw error;
		if (signal.aborted) throw new FetchError(`Timed out fetching ${current.href}`, "timeout");
		throw new FetchError(`Fetching ${current.href} failed: ${(error as Error)?.message ?? error}`, "network");
	}
}

export type ActivityPubDocument = Record<string, unknown> & { id: string };

const ACTIVITYPUB_TYPES = ["application/activity+json", "application/ld+json"];

export function isActivityPubContentType(value: string | null): boolean {
	const mime = value?.split(";")[0]?.trim().toLowerCase();
	return mime !== undefined && ACTIVITYPUB_TYPES.includes(mime);
}

/**
 * GETs an ActivityPub object. Refuses anything but a 2xx ActivityPub JSON
 * object whose `id` is the URL that answered or at least on its origin (so a
 * server can only speak for its own objects).
 */
export async function fetchActivityPubDocument(
	ctx: ServiceContext,
	url: string,
	options: Omit<OutboundRequest, "method" | "body"> = {},
): Promise<{ document: ActivityPubDocument; url: string }> {
	const headers = new Headers(options.headers);
	headers.set("Accept", ACTIVITYPUB_ACCEPT);
	const response = await outboundFetch(ctx, url, { ...options, headers, method: "GET" });
	if (response.status < 200 || response.status > 299) {
		throw new FetchError(`${url} answered ${response.status}`, "http_status", response.status);
	}
	if (!isActivityPubContentType(response.headers.get("content-type"))) {
		throw new FetchError(`${url} is not ActivityPub JSON`, "invalid_document");
	}
	let document: unknown;
	try {
		document = JSON.parse(response.text());
	} catch {
		throw new FetchError(`${url} returned malformed JSON`, "invalid_document");
	}
	if (typeof document !== "object" || document === null || Array.isArray(document)) {
		throw new FetchError(`${url} did not return an object`, "invalid_document");
	}
	const id = (document as { id?: unknown }).id;
	if (typeof id !== "string") throw new FetchError(`${url} returned an object without id`, "invalid_document");
	let idUrl: URL;
	try {
		idUrl = new URL(id);
	} catch {
		throw new FetchError(`${url} returned an object whose id is not a URL`, "invalid_document");
	}
	if (id !== response.url && idUrl.origin !== new URL(response.url).origin) {
		throw new FetchError(`${url} returned an object with a foreign id ${id}`, "invalid_document");
	}
	return { document: document as ActivityPubDocument, url: response.url };
}
