/**
 * Time-sortable ids, like Mastodon's: milliseconds since the Unix epoch shifted
 * left 16 bits, plus a 16-bit sequence, written as an 18-digit decimal string.
 * Fixed width keeps text order equal to numeric and time order, which SQLite
 * indexes on TEXT and clients comparing by length-then-text both rely on.
 * They are kept as TEXT because D1 returns INTEGER columns as JS numbers,
 * which lose precision above 2^53.
 */
const ID_WIDTH = 18;

let lastMillis = 0;
let sequence = 0;

export function newId(at: Date | number = Date.now()): string {
	const millis = typeof at === "number" ? at : at.getTime();
	if (millis === lastMillis) {
		sequence = (sequence + 1) & 0xffff;
	} else {
		lastMillis = millis;
		// A random start keeps two isolates that mint ids in the same millisecond
		// from colliding on the first values.
		sequence = crypto.getRandomValues(new Uint16Array(1))[0] as number;
	}
	return idFromParts(millis, sequence);
}

function idFromParts(millis: number, seq: number): string {
	return ((BigInt(millis) << 16n) | BigInt(seq)).toString().padStart(ID_WIDTH, "0");
}

/** The smallest id minted at `at`: a bound for "everything since this time" queries. */
export function lowestIdAt(at: Date | number): string {
	return idFromParts(typeof at === "number" ? at : at.getTime(), 0);
}

export function idTime(id: string): Date {
	return new Date(Number(BigInt(id) >> 16n));
}

export function isId(value: string): boolean {
	return /^\d{1,20}$/.test(value);
}
