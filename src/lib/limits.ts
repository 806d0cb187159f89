/**
 * Account and media limits, announced in the instance entity and checked by
 * the code that takes the input. Status and poll limits live with posting
 * (services/statuses/limits.ts).
 */
export const MiB = 1024 * 1024;

export const ACCOUNT_LIMITS = {
	maxFeaturedTags: 10,
	maxDisplayNameLength: 30,
	maxNoteLength: 500,
	maxProfileFields: 4,
	profileFieldNameLimit: 255,
	profileFieldValueLimit: 255,
	maxAvatarDescriptionLength: 150,
	maxHeaderDescriptionLength: 150,
	/** Avatars and headers are stored as uploaded, so they are kept small. */
	maxProfileImageBytes: 8 * MiB,
} as const;

/** Originals are stored as uploaded (no transcoding), so only formats browsers and apps play directly are taken. */
export const IMAGE_MIME_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"] as const;
export const VIDEO_MIME_TYPES = ["video/mp4", "video/webm", "video/quicktime"] as const;
export const AUDIO_MIME_TYPES = [
	"audio/mpeg",
	"audio/mp4",
	"audio/ogg",
	"audio/wav",
	"audio/webm",
	"audio/flac",
] as const;

export const MEDIA_LIMITS = {
	imageSizeLimit: 16 * MiB,
	/** A Worker buffers the whole upload, so audio and video stay well under its memory. */
	videoSizeLimit: 40 * MiB,
	/**
	 * Largest image accepted, as on Mastodon, and what apps are told as
	 * `image_matrix_limit`. Cloudflare Images makes the small version and the
	 * blurhash thumbnail of any of them; the Worker decodes no pixels.
	 */
	imageMatrixLimit: 33_177_600,
	videoMatrixLimit: 8_294_400,
	videoFrameRateLimit: 120,
	descriptionLimit: 1500,
} as const;

/** The file extension media of each accepted type is stored under (R2 keys, downloads). */
export const MEDIA_FILE_EXTENSIONS: Readonly<Record<string, string>> = {
	"image/jpeg": "jpg",
	"image/png": "png",
	"image/gif": "gif",
	"image/webp": "webp",
	"video/mp4": "mp4",
	"video/webm": "webm",
	"video/quicktime": "mov",
	"audio/mpeg": "mp3",
	"audio/mp4": "m4a",
	"audio/ogg": "ogg",
	"audio/wav": "wav",
	"audio/webm": "weba",
	"audio/flac": "flac",
};
