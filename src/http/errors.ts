/**
 * An error a client is meant to see, rendered in Mastodon's `{"error": "..."}`
 * shape. Anything else thrown becomes a generic 500 with no details.
 */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly extra: Record<string, unknown> = {},
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export const badRequest = (message: string) => new ApiError(400, message);
export const unauthorized = (message = "The access token is invalid") =>
	new ApiError(401, message, {}, { "WWW-Authenticate": 'Bearer realm="Doorkeeper", error="invalid_token"' });
export const forbidden = (message = "This action is outside the authorized scopes") => new ApiError(403, message);
export const notFound = (message = "Record not found") => new ApiError(404, message);
export const unprocessable = (message: string, details?: Record<string, unknown>) =>
	new ApiError(422, message, details ? { details } : {});
export const payloadTooLarge = (message = "Request body is too large") => new ApiError(413, message);
export const unsupportedMediaType = (message: string) => new ApiError(415, message);
