/**
 * TOTP (RFC 6238) over HOTP (RFC 4226) with HMAC-SHA1, 30-second steps and
 * six digits: what every authenticator app does by default. Secrets travel
 * in base32 (RFC 4648), as `otpauth://` URIs carry them.
 */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Encode(bytes: Uint8Array): string {
	let bits = 0;
	let value = 0;
	let out = "";
	for (const byte of bytes) {
		value = (value << 8) | byte;
		bits += 8;
		while (bits >= 5) {
			out += BASE32[(value >>> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
	return out;
}

export function base32Decode(text: string): Uint8Array<ArrayBuffer> {
	const clean = text.toUpperCase().replace(/[\s=-]/g, "");
	const out: number[] = [];
	let bits = 0;
	let value = 0;
	for (const char of clean) {
		const index = BASE32.indexOf(char);
		if (index < 0) throw new Error("Not base32");
		value = (value << 5) | index;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 255);
			bits -= 8;
		}
	}
	return new Uint8Array(out);
}

/** The HOTP value of `counter` under `secret`, `digits` long (RFC 4226 §5.3). */
export async function hotp(secret: Uint8Array<ArrayBuffer>, counter: number, digits = TOTP_DIGITS): Promise<string> {
	const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
	const message = new DataView(new ArrayBuffer(8));
	message.setUint32(0, Math.floor(counter / 2 ** 32));
	message.setUint32(4, counter >>> 0);
	const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message.buffer));
	const offset = (mac[mac.length - 1] as number) & 0x0f;
	const binary =
		(((mac[offset] as number) & 0x7f) << 24) |
		((mac[offset + 1] as number) << 16) |
		((mac[offset + 2] as number) << 8) |
		(mac[offset + 3] as number);
	return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The time step a moment falls in. */
export function totpStep(now: number): number {
	return Math.floor(now / 1000 / TOTP_STEP_SECONDS);
}

/**
 * The step whose code `code` is, looking one step either side of `now` for
 * clocks that drift, or null. The caller refuses steps already used.
 */
export async function matchTotp(secret: Uint8Array<ArrayBuffer>, code: string, now: number): Promise<number | null> {
	if (!/^\d{6}$/.test(code)) return null;
	const current = totpStep(now);
	for (const step of [current, current - 1, current + 1]) {
		if ((await hotp(secret, step)) === code) return step;
	}
	return null;
}

/** The `otpauth://` URI authenticator apps read from a QR code (Google's Key URI format). */
export function otpauthUri(secret: string, account: string, issuer: string): string {
	const label = encodeURIComponent(`${issuer}:${account}`);
	return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_STEP_SECONDS}`;
}
