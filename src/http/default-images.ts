import { base64ToBytes } from "../lib/base64";

/**
 * Plain placeholder images for accounts without an avatar or header, served at
 * the paths Mastodon uses so clients that special-case them keep working.
 */
const AVATAR_PNG =
	"iVBORw0KGgoAAAANSUhEUgAAAHgAAAB4CAIAAAC2BqGFAAAAtElEQVR42u3QQQ0AAAgEoOtfwQ7mMJYt9MNGAlI9HIgC0aIRLVq0BdGiES1atAXRohEtWjSiRSNatGhEi0a0aNGIFo1o0aIRLRrRokUjWjSiRYtGtGhEixaNaNGIFi0a0aIRLVo0okUjWrRoRItGtGjRiBaNaNGiES0a0aJFI1o0okWLRrRoRIsWjWjRiBYtGtGiES1aNKJFI1q0aESLRrRo0YgWjWjRohEtGtGiRSNaNKL/Ld0oQw1AiLZ/AAAAAElFTkSuQmCC";
const HEADER_PNG =
	"iVBORw0KGgoAAAANSUhEUgAAASwAAABkCAIAAACzY5qXAAAA6ElEQVR42u3TQQkAAAgEwYvq2xwGN4YIA5NgYVM9wKFIACYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBMCJgQTAiYEEwImBBOCCVUAE4IJAROCCQETggkBE4IJAROCCQETggkBE4IJAROCCQETggkBE4IJAROCCQETggkBE4IJAROCCQETggkBE4IJARPCZwtk4u2J5vXR0wAAAABJRU5ErkJggg==";

function png(base64: string): Response {
	return new Response(base64ToBytes(base64), {
		headers: { "Content-Type": "image/png", "Cache-Control": "public, max-age=604800, immutable" },
	});
}

export const missingAvatar = () => png(AVATAR_PNG);
export const missingHeader = () => png(HEADER_PNG);
