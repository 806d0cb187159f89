import { ConfigError } from "../config";
import { NotPermittedError, UnprocessableError, ValidationError } from "../lib/errors";
import { ApiError } from "./errors";
import { errorJson } from "./responses";

/** Turns anything thrown by a handler into a Mastodon-shaped error, never leaking internals. */
export function errorResponse(error: unknown): Response {
	if (error instanceof ApiError) return errorJson(error.status, error.message, error.extra, error.headers);
	if (error instanceof ValidationError) {
		return errorJson(422, `Validation failed: ${error.message}`, {
			details: { [error.field]: [{ error: "ERR_INVALID", description: error.message }] },
		});
	}
	if (error instanceof UnprocessableError) return errorJson(422, error.message);
	if (error instanceof NotPermittedError) return errorJson(403, error.message);
	if (error instanceof ConfigError) {
		console.error("Instance misconfigured:", error.message);
		return errorJson(500, "The server is misconfigured");
	}
	console.error("Unhandled error:", error instanceof Error ? (error.stack ?? error.message) : error);
	return errorJson(500, "Internal server error");
}
