// The envelope, errors and request parsing every stand-in route shares.

export class ApiFailure extends Error {
	constructor(
		readonly status: number,
		/** Cloudflare's error code: wrangler decides on some of them (10007: no such Worker, 7404: no such database). */
		readonly code: number,
		message: string,
	) {
		super(message);
	}
}

export interface RecordedCall {
	method: string;
	/** After /client/v4. */
	path: string;
	query: string;
	/** Order of arrival, from 0. */
	seq: number;
	status: number;
	/** The JSON body, or for a script upload its metadata (secret values blanked). */
	body?: unknown;
}

export interface ApiRequest {
	call: RecordedCall;
	/** The route pattern's captures: ids and names from the path. */
	params: string[];
	url: URL;
	raw: Buffer;
	contentType: string;
}

export interface ApiResult {
	result: unknown;
	result_info?: Record<string, number>;
}

export type Route = [method: string, pattern: RegExp, handler: (request: ApiRequest) => ApiResult];

export const now = () => new Date().toISOString();

export const workerNotFound = () => new ApiFailure(404, 10007, "This Worker does not exist on your account.");

export function envelope(result: ApiResult): unknown {
	return { success: true, errors: [], messages: [], ...result };
}

export function failureEnvelope(failure: ApiFailure): unknown {
	return { success: false, errors: [{ code: failure.code, message: failure.message }], messages: [], result: null };
}

export interface Part {
	name: string;
	filename?: string;
	body: Buffer;
}

/** multipart/form-data, as wrangler sends a Worker's metadata and modules. */
export function parseMultipart(raw: Buffer, contentType: string): Part[] {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
	if (!match) throw new ApiFailure(400, 10021, "Expected a multipart upload");
	const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
	const parts: Part[] = [];
	let start = raw.indexOf(delimiter);
	while (start >= 0) {
		const next = raw.indexOf(delimiter, start + delimiter.length);
		if (next < 0) break;
		const chunk = raw.subarray(start + delimiter.length + 2, next - 2);
		const headerEnd = chunk.indexOf("\r\n\r\n");
		const headers = chunk.subarray(0, headerEnd).toString("utf8");
		parts.push({
			name: /name="([^"]*)"/.exec(headers)?.[1] ?? "",
			filename: /filename="([^"]*)"/.exec(headers)?.[1],
			body: chunk.subarray(headerEnd + 4),
		});
		start = next;
	}
	return parts;
}
