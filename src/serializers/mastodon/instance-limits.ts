import { AUDIO_MIME_TYPES, IMAGE_MIME_TYPES, MEDIA_LIMITS, VIDEO_MIME_TYPES } from "../../lib/limits";
import { STATUS_LIMITS } from "../../services/statuses/limits";
import type { MastodonInstanceConfigurationLimits } from "./instance-entities";

/** The posting limits both instance entities announce. */
export function configurationLimits(): MastodonInstanceConfigurationLimits {
	return {
		statuses: {
			max_characters: STATUS_LIMITS.maxCharacters,
			max_media_attachments: STATUS_LIMITS.maxMediaAttachments,
			characters_reserved_per_url: STATUS_LIMITS.charactersReservedPerUrl,
		},
		media_attachments: {
			supported_mime_types: [...IMAGE_MIME_TYPES, ...VIDEO_MIME_TYPES, ...AUDIO_MIME_TYPES],
			image_size_limit: MEDIA_LIMITS.imageSizeLimit,
			image_matrix_limit: MEDIA_LIMITS.imageMatrixLimit,
			video_size_limit: MEDIA_LIMITS.videoSizeLimit,
			video_matrix_limit: MEDIA_LIMITS.videoMatrixLimit,
			video_frame_rate_limit: MEDIA_LIMITS.videoFrameRateLimit,
			description_limit: MEDIA_LIMITS.descriptionLimit,
		},
		polls: {
			max_options: STATUS_LIMITS.maxPollOptions,
			max_characters_per_option: STATUS_LIMITS.maxPollOptionCharacters,
			min_expiration: STATUS_LIMITS.minPollExpiration,
			max_expiration: STATUS_LIMITS.maxPollExpiration,
		},
	};
}

export function registrationMessage(mode: "open" | "approval" | "closed"): string | null {
	return mode === "closed" ? "Sign-ups are closed on this server." : null;
}
