import {
	AUDIO_MIME_TYPES,
	IMAGE_MIME_TYPES,
	MEDIA_LIMITS,
	POLL_LIMITS,
	STATUS_LIMITS,
	VIDEO_MIME_TYPES,
} from "../../lib/limits";
import type { MastodonInstanceConfigurationLimits } from "./entities";

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
			max_options: POLL_LIMITS.maxOptions,
			max_characters_per_option: POLL_LIMITS.maxCharactersPerOption,
			min_expiration: POLL_LIMITS.minExpiration,
			max_expiration: POLL_LIMITS.maxExpiration,
		},
	};
}

export function registrationMessage(mode: "open" | "approval" | "closed"): string | null {
	return mode === "closed" ? "Sign-ups are closed on this server." : null;
}
