// Generates the benchmark's dataset as SQL (loaded with `wrangler d1 execute --file`)
// plus what the scenarios need to know about it (ids, tokens, keys).
import { once } from "node:events";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const SIZES = {
	full: {
		locals: 50,
		domains: 200,
		remotesPerDomain: 10,
		statuses: 100_000,
		hubStatuses: 2_000,
		localStatuses: 100,
		followersPerDomain: 5,
		hubFollowing: 500,
		favourites: 2_000,
		oauthCodes: 260,
	},
	smoke: {
		locals: 5,
		domains: 4,
		remotesPerDomain: 4,
		statuses: 1_500,
		hubStatuses: 200,
		localStatuses: 20,
		followersPerDomain: 2,
		hubFollowing: 10,
		favourites: 50,
		oauthCodes: 12,
	},
};

export const PASSWORD = "bench password 1234";
const DAY = 24 * 60 * 60 * 1000;

/** A small deterministic PRNG so two runs seed the same data. */
function prng(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Ids in the format of src/lib/ids.ts: milliseconds << 16 | sequence, 18 digits. */
function idMaker() {
	let last = 0;
	let seq = 0;
	return (ms) => {
		if (ms <= last) {
			seq++;
			ms = last;
		} else {
			last = ms;
			seq = 0;
		}
		if (seq > 0xffff) throw new Error("id sequence overflow");
		return ((BigInt(ms) << 16n) | BigInt(seq)).toString().padStart(18, "0");
	};
}

function q(value) {
	if (value === null || value === undefined) return "NULL";
	if (typeof value === "number") return String(value);
	if (typeof value === "boolean") return value ? "1" : "0";
	return `'${String(value).replaceAll("'", "''")}'`;
}

class SqlWriter {
	constructor(path) {
		this.stream = createWriteStream(path);
		this.pending = new Map();
		this.rows = 0;
	}
	async insert(table, columns, values) {
		let entry = this.pending.get(table);
		if (!entry) {
			entry = { columns, rows: [], bytes: 0 };
			this.pending.set(table, entry);
		}
		const row = `(${values.map(q).join(",")})`;
		entry.rows.push(row);
		entry.bytes += row.length;
		this.rows++;
		// D1 refuses statements over 100 KB.
		if (entry.rows.length >= 200 || entry.bytes > 60_000) await this.flush(table);
	}
	async flush(table) {
		const entry = this.pending.get(table);
		if (!entry || entry.rows.length === 0) return;
		const line = `INSERT INTO ${table} (${entry.columns.join(",")}) VALUES ${entry.rows.join(",")};\n`;
		entry.rows = [];
		entry.bytes = 0;
		if (!this.stream.write(line)) await once(this.stream, "drain");
	}
	/** Writes what is pending, so rows referenced by later tables come first. */
	async flushAll() {
		for (const table of this.pending.keys()) await this.flush(table);
	}
	async close() {
		await this.flushAll();
		this.stream.end();
		await once(this.stream, "finish");
	}
}

const ACCOUNT_COLUMNS = [
	"id",
	"username",
	"domain",
	"display_name",
	"note",
	"note_html",
	"locked",
	"uri",
	"url",
	"inbox_url",
	"shared_inbox_url",
	"outbox_url",
	"followers_url",
	"following_url",
	"featured_url",
	"followers_count",
	"following_count",
	"statuses_count",
	"last_status_at",
	"fetched_at",
	"created_at",
	"updated_at",
];

/**
 * @param options.origin  the Worker's origin, e.g. http://127.0.0.1:8831
 * @param options.peerHost (i) => host of remote domain i, e.g. 127.0.0.(i+2):8832
 * @param options.remoteKeys array of { publicKeyPem, privateKeyPem }, one per domain
 */
/** Tables the migrations create: parts of the dataset are seeded only once their feature has landed. */
export function migratedTables(migrationsDir) {
	const tables = new Set();
	for (const name of readdirSync(migrationsDir)) {
		if (!name.endsWith(".sql")) continue;
		for (const match of readFileSync(join(migrationsDir, name), "utf8").matchAll(/CREATE TABLE [`"]?(\w+)[`"]?/gi)) {
			tables.add(match[1]);
		}
	}
	return tables;
}

export async function generateDataset({ sizes, origin, peerHost, remoteKeys, services, secret, sqlPath, tables }) {
	const random = prng(20261127);
	const newId = idMaker();
	const now = Date.now();
	const start = now - 180 * DAY;
	const sql = new SqlWriter(sqlPath);

	// Local accounts: the hub (many followers, follows many), a locked one, the rest.
	const passwordHash = await services.hashPassword(PASSWORD);
	const locals = [];
	for (let i = 0; i < sizes.locals; i++) {
		const username = i === 0 ? "hub" : i === 1 ? "locked" : `user${String(i).padStart(2, "0")}`;
		const created = start - DAY * (sizes.locals - i);
		locals.push({
			id: newId(created),
			userId: null,
			username,
			locked: username === "locked",
			token: `bench-${username}-${Math.floor(random() * 1e12).toString(36)}${Math.floor(random() * 1e12).toString(36)}`,
			email: `${username}@bench.example`,
			created,
			uri: `${origin}/users/${username}`,
			statuses: 0,
			followers: 0,
			following: 0,
		});
	}

	const domains = [];
	const remotes = [];
	for (let d = 0; d < sizes.domains; d++) {
		const host = peerHost(d);
		domains.push(host);
		for (let k = 0; k < sizes.remotesPerDomain; k++) {
			const username = `r${d}_${k}`;
			const uri = `http://${host}/users/${username}`;
			remotes.push({
				id: newId(start - DAY * 400 + d * 1000 + k),
				username,
				domain: host,
				domainIndex: d,
				index: k,
				uri,
				inbox: `${uri}/inbox`,
				sharedInbox: `http://${host}/inbox`,
				keyId: `${uri}#main-key`,
				keys: remoteKeys[d],
				statuses: 0,
				followers: 0,
				following: 0,
			});
		}
	}
	const hub = locals[0];

	// Follows: remote k < followersPerDomain on every domain follow the hub;
	// the hub follows every other local account and remote ones after them.
	const follows = [];
	for (const remote of remotes) {
		if (remote.index < sizes.followersPerDomain) follows.push([remote, hub]);
	}
	const followed = new Set([hub.id]);
	for (const local of locals.slice(1)) {
		if (follows.filter(([a]) => a === hub).length >= sizes.hubFollowing) break;
		follows.push([hub, local]);
		followed.add(local.id);
	}
	let cursor = 0;
	const candidates = remotes.filter((r) => r.index >= sizes.followersPerDomain);
	while (follows.filter(([a]) => a === hub).length < sizes.hubFollowing && cursor < candidates.length) {
		const target = candidates[cursor];
		cursor += Math.max(1, Math.floor(candidates.length / sizes.hubFollowing));
		if (followed.has(target.id)) continue;
		follows.push([hub, target]);
		followed.add(target.id);
	}
	for (const [from, to] of follows) {
		from.following++;
		to.followers++;
	}

	// Statuses: the hub writes hubStatuses, other locals localStatuses, remote actors the rest.
	const authors = [];
	for (let i = 0; i < sizes.hubStatuses; i++) authors.push(hub);
	for (const local of locals.slice(1)) for (let i = 0; i < sizes.localStatuses; i++) authors.push(local);
	for (let i = 0; authors.length < sizes.statuses; i++) authors.push(remotes[i % remotes.length]);
	for (let i = authors.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[authors[i], authors[j]] = [authors[j], authors[i]];
	}

	const step = (now - start - DAY) / authors.length;
	for (let i = 0; i < authors.length; i++) {
		authors[i].statuses++;
		authors[i].lastStatusAt = Math.floor(start + i * step);
	}
	for (const account of [...locals, ...remotes]) {
		const isLocal = !account.domain;
		const created = isLocal ? account.created : start - DAY * 400;
		const base = isLocal ? `${origin}/users/${account.username}` : account.uri;
		await sql.insert("accounts", ACCOUNT_COLUMNS, [
			account.id,
			account.username,
			account.domain ?? null,
			isLocal ? `Bench ${account.username}` : `Remote ${account.username}`,
			"",
			"",
			account.locked ?? false,
			base,
			isLocal ? `${origin}/@${account.username}` : `http://${account.domain}/@${account.username}`,
			`${base}/inbox`,
			isLocal ? `${origin}/inbox` : account.sharedInbox,
			`${base}/outbox`,
			`${base}/followers`,
			`${base}/following`,
			`${base}/collections/featured`,
			account.followers,
			account.following,
			account.statuses,
			account.lastStatusAt ?? null,
			isLocal ? null : now,
			created,
			created,
		]);
	}

	await sql.flushAll();

	const hubStatusIds = [];
	const hubPublicStatusIds = [];
	const homeFeed = [];
	// The search index rows the posting path writes with every status.
	const searchDocuments = [];
	const indexed = tables.has("status_search_documents");
	for (let i = 0; i < authors.length; i++) {
		const author = authors[i];
		const created = Math.floor(start + i * step);
		const id = newId(created);
		const isLocal = !author.domain;
		const roll = random();
		const visibility = roll < 0.85 ? "public" : roll < 0.95 ? "unlisted" : "private";
		const text = `Post ${i} by ${author.username}: a realistic few sentences about the weather, a link and #bench.`;
		const content = `<p>Post ${i} by ${author.username}: a realistic few sentences about the weather, a link and <a href="${origin}/tags/bench" class="mention hashtag" rel="tag">#<span>bench</span></a>.</p>`;
		const uri = isLocal ? `${author.uri}/statuses/${id}` : `${author.uri}/statuses/${i}`;
		const url = isLocal ? `${origin}/@${author.username}/${id}` : `http://${author.domain}/@${author.username}/${i}`;
		await sql.insert(
			"statuses",
			["id", "uri", "url", "account_id", "local", "text", "content", "visibility", "language", "created_at"],
			[id, uri, url, author.id, isLocal, isLocal ? text : null, content, visibility, "en", created],
		);
		if (indexed) searchDocuments.push(services.indexedDocument({ id, content, spoilerText: "" }));
		if (author === hub) hubStatusIds.push(id);
		if (author === hub && visibility === "public") hubPublicStatusIds.push(id);
		if (followed.has(author.id)) homeFeed.push([id, author.id]);
	}
	await sql.flushAll();
	for (const document of searchDocuments) {
		await sql.insert(
			"status_search_documents",
			["status_id", "text", "terms", "has_link"],
			[document.statusId, document.text, JSON.stringify(document.terms), document.hasLink],
		);
		for (const term of document.terms) {
			await sql.insert("status_search_terms", ["term", "status_id"], [term, document.statusId]);
		}
	}
	if (indexed) await sql.insert("search_backfill", ["id", "before_id", "done_at"], ["statuses", null, now]);
	for (const [statusId, authorId] of homeFeed) {
		await sql.insert("home_feed", ["account_id", "status_id", "author_id"], [hub.id, statusId, authorId]);
	}

	for (const local of locals) {
		local.userId = newId(local.created);
		await sql.insert(
			"users",
			["id", "account_id", "email", "password_hash", "role", "confirmed_at", "approved", "created_at"],
			[
				local.userId,
				local.id,
				local.email,
				passwordHash,
				local === hub ? "admin" : "user",
				local.created,
				true,
				local.created,
			],
		);
		await sql.insert(
			"oauth_access_tokens",
			["id", "token_hash", "user_id", "scopes", "created_at"],
			[
				newId(local.created),
				await services.sha256Hex(local.token),
				local.userId,
				"read write follow push",
				local.created,
			],
		);
		const keys = await services.generateAccountKeys(secret, local.id);
		await sql.insert(
			"account_keys",
			[
				"account_id",
				"rsa_public_key_pem",
				"rsa_private_key_sealed",
				"ed25519_public_key_multibase",
				"ed25519_private_key_sealed",
				"created_at",
			],
			[
				keys.accountId,
				keys.rsaPublicKeyPem,
				keys.rsaPrivateKeySealed,
				keys.ed25519PublicKeyMultibase,
				keys.ed25519PrivateKeySealed,
				local.created,
			],
		);
	}

	await sql.flushAll();
	for (const [from, to] of follows) {
		const created = Math.max(from.created ?? start, to.created ?? start) + DAY;
		const id = newId(created);
		const uri = from.domain ? `${from.uri}#follows/${id}` : `${origin}/${id}`;
		await sql.insert(
			"follows",
			["id", "account_id", "target_account_id", "uri", "created_at"],
			[id, from.id, to.id, uri, created],
		);
		if (to === hub) {
			await sql.insert(
				"notifications",
				["id", "account_id", "from_account_id", "type", "status_id", "group_key", "created_at"],
				[newId(created), hub.id, from.id, "follow", null, `ungrouped-${id}`, created],
			);
		}
	}

	// Favourites of the hub's posts by remote actors, each with its notification.
	const seen = new Set();
	for (let i = 0; i < sizes.favourites && hubStatusIds.length > 0; i++) {
		const statusId = hubStatusIds[Math.floor(random() * hubStatusIds.length)];
		const from = remotes[Math.floor(random() * remotes.length)];
		if (seen.has(`${from.id}/${statusId}`)) continue;
		seen.add(`${from.id}/${statusId}`);
		const created = Number(BigInt(statusId) >> 16n) + Math.floor(random() * DAY);
		const id = newId(Math.min(created, now - 1000));
		await sql.insert(
			"favourites",
			["id", "account_id", "status_id", "uri", "created_at"],
			[id, from.id, statusId, `${from.uri}#likes/${id}`, created],
		);
		await sql.insert(
			"notifications",
			["id", "account_id", "from_account_id", "type", "status_id", "group_key", "created_at"],
			[newId(Math.min(created, now - 1000)), hub.id, from.id, "favourite", statusId, `favourite-${statusId}`, created],
		);
	}
	// Remote actors' keys as if fetched once already (signature checks read them from D1).
	if (tables.has("remote_public_keys")) {
		await sql.flushAll();
		for (const remote of remotes) {
			await sql.insert(
				"remote_public_keys",
				["key_id", "account_id", "type", "public_key", "fetched_at"],
				[remote.keyId, remote.id, "rsa", remote.keys.publicKeyPem, now],
			);
		}
	}

	// An app with one authorization code per token exchange the bench makes (codes work once).
	let oauth = null;
	if (tables.has("oauth_authorization_codes")) {
		const clientSecret = "bench-client-secret-0123456789abcdef";
		oauth = {
			appId: newId(now - DAY),
			clientId: "bench-client-id-0123456789abcdef",
			clientSecret,
			redirectUri: "urn:ietf:wg:oauth:2.0:oob",
			codes: [],
		};
		await sql.insert(
			"oauth_applications",
			["id", "name", "redirect_uris", "scopes", "client_id", "client_secret_hash", "created_at"],
			[
				oauth.appId,
				"Bench",
				JSON.stringify([oauth.redirectUri]),
				"read write follow push",
				oauth.clientId,
				await services.sha256Hex(clientSecret),
				now - DAY,
			],
		);
		await sql.flushAll();
		for (let i = 0; i < sizes.oauthCodes; i++) {
			const code = `bench-code-${i}-${Math.floor(random() * 1e12).toString(36)}`;
			oauth.codes.push(code);
			await sql.insert(
				"oauth_authorization_codes",
				["id", "code_hash", "application_id", "user_id", "redirect_uri", "scopes", "expires_at", "created_at"],
				[
					newId(now),
					await services.sha256Hex(code),
					oauth.appId,
					locals[i % locals.length].userId,
					oauth.redirectUri,
					"read write",
					// Far ahead: the codes are made before a run that lasts longer than a code's ten minutes.
					now + 30 * DAY,
					now,
				],
			);
		}
	}
	await sql.close();
	const hubFollowerRemotes = follows.filter(([from, to]) => to === hub && from.domain).map(([from]) => from);
	const hubFollowedRemotes = follows.filter(([from, to]) => from === hub && to.domain).map(([, to]) => to);

	return {
		origin,
		oauth,
		rows: sql.rows,
		hub: summary(hub),
		locked: summary(locals[1]),
		unlocked: summary(locals[2] ?? locals[0]),
		locals: locals.map(summary),
		remotes,
		domains,
		hubStatusIds,
		hubPublicStatusIds,
		homeFeedSize: homeFeed.length,
		// Statuses of the hub's home feed (remote authors mostly), newest first: what a member favourites.
		homeStatusIds: homeFeed.slice(0, 1000).map((row) => row[0]),
		// A page about three quarters of the way back through the hub's home feed.
		deepMaxId: homeFeed[Math.floor(homeFeed.length / 4)]?.[0],
		hubFollowers: hubFollowerRemotes.length,
		hubFollowerRemotes,
		hubFollowedRemotes,
		hubFollowerInboxes: new Set(hubFollowerRemotes.map((r) => r.sharedInbox)).size,
	};
}

function summary(local) {
	return { id: local.id, userId: local.userId, username: local.username, token: local.token, email: local.email };
}
