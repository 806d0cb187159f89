// A bench-only Worker (never deployed, no route of the product). It runs in
// the same setup as Tern under the benchmark (its D1, R2 and queue live in the
// storage host's process, see bench/lib/storage-host.mjs) and gives:
// - what the local setup costs the Worker's process per request, per D1 round
//   trip, per R2 call and per queue message, which the Worker CPU estimate
//   subtracts;
// - a known workload, to show that the estimate recovers it whatever D1 does
//   meanwhile;
// - the product's key generation and password hashing, and the KDFs workerd
//   offers, measured where they run.
import { encode as encodePng } from "fast-png";
import { generateEd25519KeyPair, generateRsaKeyPair } from "../../src/lib/crypto/key-pairs";
import { hashPassword } from "../../src/lib/crypto/password";
import { blurhashOf, pngPixels } from "../../src/lib/images/blurhash";

interface BenchEnv {
	DB: D1Database;
	BUCKET: R2Bucket;
	QUEUE: Queue;
	IMAGES: ImagesBinding;
}

/** A 2×2 PNG, for calibrating a Cloudflare Images call. */
const PNG_2x2 = Uint8Array.from(
	atob("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IacBRAwQCgAgFgQ5YebC6gAAAABJRU5ErkJggg=="),
	(c) => c.charCodeAt(0),
);

/** A recursive count over 20,000 rows: SQLite work of a few milliseconds, one row back. */
const HEAVY =
	"with recursive c(x) as (select 1 union all select x + 1 from c where x < 20000) select count(*) as n from c";
/** 400 rows of about 60 bytes: a result as large as a page of statuses' worth of columns. */
const WIDE =
	"with recursive c(x) as (select 1 union all select x + 1 from c where x < 400) select x, printf('%050d', x) as padded from c";

/** Pure JavaScript of a fixed size: FNV-1a over 64 KiB, `units` times. */
function knownWork(units: number): number {
	const data = new Uint8Array(65_536);
	for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 255;
	let hash = 0x811c9dc5;
	for (let u = 0; u < units; u++) {
		for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ (data[i] as number), 0x01000193) >>> 0;
	}
	return hash;
}

async function repeat(times: number, operation: () => Promise<unknown>): Promise<void> {
	for (let i = 0; i < times; i++) await operation();
}

const TINY = new Uint8Array(64);

/** A 32×24 RGB PNG of a gradient, as Cloudflare Images gives the blurhash thumbnail of a 4:3 photo. */
const HASH_THUMBNAIL = (() => {
	const rgb = new Uint8Array(32 * 24 * 3);
	for (let i = 0; i < rgb.length; i += 3) rgb.set([(i * 7) & 255, (i * 3) & 255, 128], i);
	return encodePng({ width: 32, height: 24, data: rgb, channels: 3, depth: 8 });
})();

const OPERATIONS: Record<string, (env: BenchEnv, n: number, url: URL) => Promise<unknown>> = {
	"/noop": async () => undefined,
	// n waits of 10 ms on a timer: what waiting costs the process while a request is open.
	"/wait": (_env, n) => repeat(n, () => new Promise((resolve) => setTimeout(resolve, 10))),
	// n trivial D1 round trips: what a call costs the Worker's process, whatever the query.
	"/d1": (env, n) => repeat(n, () => env.DB.prepare("select ?1 as value").bind(1).first()),
	"/r2-put": (env, n) => repeat(n, () => env.BUCKET.put("calibration/tiny", TINY)),
	"/r2-get": (env, n) =>
		repeat(n, async () => {
			await (await env.BUCKET.get("calibration/tiny"))?.arrayBuffer();
		}),
	"/queue-send": (env, n) => repeat(n, () => env.QUEUE.send({ calibration: true })),
	"/images": (env, n) =>
		repeat(n, async () => {
			const result = await env.IMAGES.input(new Blob([PNG_2x2]).stream())
				.transform({ width: 1, height: 1, fit: "squeeze" })
				.output({ format: "image/png" });
			await result.response().arrayBuffer();
		}),
	"/known": async (env, n, url) => {
		knownWork(n);
		const count = (name: string) => Number(url.searchParams.get(name) ?? 0);
		await repeat(count("heavy"), () => env.DB.prepare(HEAVY).first());
		await repeat(count("wide"), () => env.DB.prepare(WIDE).all());
		await repeat(count("trivial"), () => env.DB.prepare("select ?1 as value").bind(1).first());
	},
	// What an upload costs the Worker for its blurhash: decoding the 32-pixel PNG thumbnail Images made, and hashing it.
	"/hash-thumbnail": async () => blurhashOf(pngPixels(HASH_THUMBNAIL)),
	"/rsa": () => generateRsaKeyPair(),
	"/ed25519": () => generateEd25519KeyPair(),
	"/pbkdf2": () => hashPassword("bench password 1234"),
	// The KDFs workerd offers, at a given cost, for the sign-in decision (docs/performance.md).
	"/pbkdf2-raw": async (_env, n, url) => {
		const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("bench password 1234"), "PBKDF2", false, [
			"deriveBits",
		]);
		const hash = url.searchParams.get("hash") ?? "SHA-256";
		await crypto.subtle.deriveBits({ name: "PBKDF2", hash, salt: new Uint8Array(16), iterations: n }, key, 256);
	},
};

export default {
	async fetch(request: Request, env: BenchEnv): Promise<Response> {
		const url = new URL(request.url);
		const operation = OPERATIONS[url.pathname];
		if (!operation) return new Response("unknown operation", { status: 404 });
		try {
			await operation(env, Number(url.searchParams.get("n") ?? 1), url);
		} catch (error) {
			return new Response(String(error), { status: 500 });
		}
		return new Response("ok");
	},
	async queue(batch: MessageBatch): Promise<void> {
		batch.ackAll();
		console.log(`calibration-queue messages=${batch.messages.length}`);
	},
};
