import { ValidationError } from "../../lib/errors";
import { STATUS_LIMITS } from "./limits";

export interface PollInput {
	options: string[];
	/** Seconds from now. */
	expiresIn: number;
	multiple: boolean;
	hideTotals: boolean;
}

export function validatePoll(poll: PollInput): void {
	const options = poll.options;
	if (options.length < STATUS_LIMITS.minPollOptions) {
		throw new ValidationError("poll", `Poll must have at least ${STATUS_LIMITS.minPollOptions} options`);
	}
	if (options.length > STATUS_LIMITS.maxPollOptions) {
		throw new ValidationError("poll", `Poll cannot have more than ${STATUS_LIMITS.maxPollOptions} options`);
	}
	for (const option of options) {
		if (option.trim() === "") throw new ValidationError("poll", "Poll options cannot be blank");
		if ([...option].length > STATUS_LIMITS.maxPollOptionCharacters) {
			throw new ValidationError(
				"poll",
				`Poll options cannot be longer than ${STATUS_LIMITS.maxPollOptionCharacters} characters`,
			);
		}
	}
	if (new Set(options.map((o) => o.trim())).size !== options.length) {
		throw new ValidationError("poll", "Poll options must be unique");
	}
	if (poll.expiresIn < STATUS_LIMITS.minPollExpiration) {
		throw new ValidationError("poll", "Poll duration is too short");
	}
	if (poll.expiresIn > STATUS_LIMITS.maxPollExpiration) {
		throw new ValidationError("poll", "Poll duration is too long");
	}
}
