/** A real 3x2 RGB PNG, small enough to inline. */
export const PNG_3x2_BASE64 =
	"iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP4z8DAAMFwFgA72AX73hA3ZQAAAABJRU5ErkJggg==";

export function png3x2(): Uint8Array<ArrayBuffer> {
	return Uint8Array.from(atob(PNG_3x2_BASE64), (c) => c.charCodeAt(0));
}

export function pngFile(name = "image.png", type = "image/png"): File {
	return new File([png3x2()], name, { type });
}
