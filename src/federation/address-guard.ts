/**
 * Which URLs outbound requests may reach. Only http(s); no loopback, private,
 * link-local, unique-local, CGNAT, multicast or documentation addresses; no
 * `localhost`-like or single-label names.
 *
 * Limit: Workers cannot resolve DNS from code, so only IP literals and names
 * that are private by convention are caught here. A public name whose DNS
 * points at a private address is not; Cloudflare's egress does not route to
 * RFC 1918 networks, which is what makes that acceptable in production.
 */
const BLOCKED_NAME_SUFFIXES = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".localdomain"];
const BLOCKED_NAMES = new Set(["localhost", "ip6-localhost", "ip6-loopback", "localhost.localdomain"]);

/** [network, prefix length] in IPv4, as 32-bit numbers. */
const BLOCKED_V4: [number, number][] = [
	[0x00000000, 8], // "this" network
	[0x0a000000, 8], // private
	[0x64400000, 10], // carrier-grade NAT
	[0x7f000000, 8], // loopback
	[0xa9fe0000, 16], // link-local (and cloud metadata)
	[0xac100000, 12], // private
	[0xc0000000, 24], // IETF protocol assignments
	[0xc0000200, 24], // documentation
	[0xc0a80000, 16], // private
	[0xc6120000, 15], // benchmarking
	[0xc6336400, 24], // documentation
	[0xcb007100, 24], // documentation
	[0xe0000000, 4], // multicast
	[0xf0000000, 4], // reserved and broadcast
];

function parseIpv4(host: string): number | null {
	const parts = host.split(".");
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
	return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function blockedV4(address: number): boolean {
	return BLOCKED_V4.some(([network, bits]) => {
		const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
		return (address & mask) >>> 0 === network;
	});
}

/** Expands an IPv6 literal (as the URL parser normalizes it) to eight 16-bit groups. */
function parseIpv6(host: string): number[] | null {
	let text = host;
	const groups: number[] = [];
	const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (v4) {
		const value = parseIpv4(v4[1] as string);
		if (value === null) return null;
		text = `${text.slice(0, -(v4[1] as string).length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
	}
	const [head, tail, ...rest] = text.split("::");
	if (rest.length > 0) return null;
	const headGroups = head ? head.split(":") : [];
	const tailGroups = tail ? tail.split(":") : [];
	const missing = 8 - headGroups.length - tailGroups.length;
	if (tail === undefined ? missing !== 0 : missing < 1) return null;
	for (const g of [...headGroups, ...Array(tail === undefined ? 0 : missing).fill("0"), ...tailGroups]) {
		if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
		groups.push(Number.parseInt(g, 16));
	}
	return groups;
}

function blockedV6(g: number[]): boolean {
	const [a = 0, b = 0] = g;
	const zeroPrefix = g.slice(0, 5).every((x) => x === 0);
	if (zeroPrefix && g[5] === 0 && g[6] === 0 && (g[7] === 0 || g[7] === 1)) return true; // :: and ::1
	const embeddedV4 = (((g[6] ?? 0) << 16) | (g[7] ?? 0)) >>> 0;
	if (zeroPrefix && (g[5] === 0xffff || g[5] === 0)) return blockedV4(embeddedV4); // mapped / compatible
	if (a === 0x64 && b === 0xff9b) return blockedV4(embeddedV4); // NAT64
	if ((a & 0xfe00) === 0xfc00) return true; // unique local
	if ((a & 0xffc0) === 0xfe80) return true; // link-local
	if ((a & 0xffc0) === 0xfec0) return true; // site-local (deprecated)
	if ((a & 0xff00) === 0xff00) return true; // multicast
	if (a === 0x2001 && b === 0x0db8) return true; // documentation
	if (a === 0x2002) return blockedV4(((b << 16) | (g[2] ?? 0)) >>> 0); // 6to4
	return false;
}

/** Why a URL may not be fetched, or null when it may. */
export function urlRefusal(url: URL, allowPrivateAddresses: boolean): string | null {
	if (url.protocol !== "https:" && url.protocol !== "http:") return `Scheme ${url.protocol} is not allowed`;
	if (url.username || url.password) return "URLs with credentials are not allowed";
	if (allowPrivateAddresses) return null;
	const host = url.hostname.toLowerCase().replace(/\.$/, "");
	if (host.startsWith("[")) {
		const groups = parseIpv6(host.slice(1, -1));
		if (!groups || blockedV6(groups)) return "Address is not public";
		return null;
	}
	const v4 = parseIpv4(host);
	if (v4 !== null) return blockedV4(v4) ? "Address is not public" : null;
	if (BLOCKED_NAMES.has(host) || BLOCKED_NAME_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
		return "Host name is not public";
	}
	if (!host.includes(".")) return "Host name is not public";
	return null;
}
