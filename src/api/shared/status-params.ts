import { VISIBILITIES, type Visibility } from "../../db/schema";
import { ApiError } from "../../http/errors";
import type { Params } from "../../http/params";
import type { PollInput } from "../../services/statuses/poll-input";

function invalid(message: string): ApiError {
	return new ApiError(422, `Validation failed: ${message}`);
}

export function visibilityParam(params: Params): Visibility | undefined {
	const value = params.string("visibility");
	if (value === undefined || value === "") return undefined;
	if (!(VISIBILITIES as readonly string[]).includes(value)) throw invalid("Visibility is not included in the list");
	return value as Visibility;
}

/** `poll[options][]`, `poll[expires_in]`, `poll[multiple]`, `poll[hide_totals]`; undefined without a poll. */
export function pollParam(params: Params): PollInput | undefined {
	if (!params.has("poll")) return undefined;
	const poll = params.object("poll");
	if (!poll) return undefined;
	const options = poll.stringArray("options");
	if (!options) throw invalid("Poll options can't be blank");
	const expiresIn = poll.integer("expires_in");
	if (expiresIn === undefined) throw invalid("Poll expires_in can't be blank");
	return {
		options,
		expiresIn,
		multiple: poll.boolean("multiple") ?? false,
		hideTotals: poll.boolean("hide_totals") ?? false,
	};
}

export function languageParam(params: Params): string | null | undefined {
	const value = params.string("language", { maxLength: 16 });
	if (value === undefined) return undefined;
	if (value === "") return null;
	if (!/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/.test(value)) throw invalid("Language is not a valid language code");
	return value.toLowerCase().split(/[-_]/)[0] ?? null;
}
