import { describe, expect, it } from "vitest";
import { base64ToBytes } from "./base64";
import { imageSize, sniffImageType } from "./image-probe";

// Tiny images made for these tests (a 3x2 RGB PNG and a 1x1 GIF).
const PNG_3x2 = "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP4z8DAAMFwFgA72AX73hA3ZQAAAABJRU5ErkJggg==";
const GIF_1x1 = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==";

describe("image probe", () => {
	it("reads PNG and GIF sizes from their headers", () => {
		const png = base64ToBytes(PNG_3x2);
		expect(sniffImageType(png)).toBe("image/png");
		expect(imageSize(png, "image/png")).toEqual({ width: 3, height: 2 });
		const gif = base64ToBytes(GIF_1x1);
		expect(sniffImageType(gif)).toBe("image/gif");
		expect(imageSize(gif, "image/gif")).toEqual({ width: 1, height: 1 });
	});

	it("reads a JPEG's start-of-frame and a WebP VP8L header", () => {
		const jpeg = new Uint8Array([
			0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x40, 0x03, 0, 0,
			0, 0,
		]);
		expect(sniffImageType(jpeg)).toBe("image/jpeg");
		expect(imageSize(jpeg, "image/jpeg")).toEqual({ width: 64, height: 32 });
		const webp = new Uint8Array(30);
		webp.set(new TextEncoder().encode("RIFF"), 0);
		webp.set(new TextEncoder().encode("WEBPVP8L"), 8);
		const bits = (100 - 1) | ((50 - 1) << 14);
		webp.set([0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff], 20);
		expect(sniffImageType(webp)).toBe("image/webp");
		expect(imageSize(webp, "image/webp")).toEqual({ width: 100, height: 50 });
	});

	it("refuses what is not an image", () => {
		expect(sniffImageType(new TextEncoder().encode("<svg></svg>"))).toBeUndefined();
	});
});
