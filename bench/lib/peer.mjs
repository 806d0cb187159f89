// The remote side of federation: one small HTTP server per remote domain, each
// on its own loopback address (127.0.0.N), serving actor documents and
// WebFinger and counting what Tern delivers to its inboxes.
import { createHash, createSign, generateKeyPair } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname } from "node:path";
import { promisify } from "node:util";

const generate = promisify(generateKeyPair);

/** One RSA-2048 key pair per remote domain, cached between runs (generation is the slow part). */
export async function remoteKeyPairs(count, cachePath) {
	const cached = existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, "utf8")) : [];
	while (cached.length < count) {
		const batch = await Promise.all(
			Array.from({ length: Math.min(8, count - cached.length) }, () =>
				generate("rsa", {
					modulusLength: 2048,
					publicKeyEncoding: { type: "spki", format: "pem" },
					privateKeyEncoding: { type: "pkcs8", format: "pem" },
				}),
			),
		);
		for (const { publicKey, privateKey } of batch) cached.push({ publicKeyPem: publicKey, privateKeyPem: privateKey });
	}
	mkdirSync(dirname(cachePath), { recursive: true });
	writeFileSync(cachePath, JSON.stringify(cached));
	return cached.slice(0, count);
}

export function actorDocument(remote) {
	return {
		"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
		id: remote.uri,
		type: "Person",
		preferredUsername: remote.username,
		name: `Remote ${remote.username}`,
		summary: "",
		url: `http://${remote.domain}/@${remote.username}`,
		inbox: remote.inbox,
		outbox: `${remote.uri}/outbox`,
		followers: `${remote.uri}/followers`,
		following: `${remote.uri}/following`,
		manuallyApprovesFollowers: false,
		discoverable: true,
		published: "2025-01-01T00:00:00Z",
		endpoints: { sharedInbox: remote.sharedInbox },
		publicKey: { id: remote.keyId, owner: remote.uri, publicKeyPem: remote.keys.publicKeyPem },
	};
}

export class PeerNetwork {
	constructor(remotes) {
		this.actors = new Map(remotes.map((r) => [new URL(r.uri).host + new URL(r.uri).pathname, r]));
		this.servers = [];
		/** Every delivery: { inbox, activityId, objectId, type, at }. */
		this.deliveries = [];
		this.fetches = 0;
	}

	async listen(hosts) {
		for (const host of hosts) {
			const [address, port] = host.split(":");
			const server = createServer((request, response) => this.handle(host, request, response));
			server.keepAliveTimeout = 5000;
			await new Promise((resolve, reject) => {
				server.once("error", reject);
				server.listen(Number(port), address, resolve);
			});
			this.servers.push(server);
		}
	}

	handle(host, request, response) {
		const url = new URL(request.url, `http://${host}`);
		if (request.method === "POST") {
			const chunks = [];
			request.on("data", (chunk) => chunks.push(chunk));
			request.on("end", () => {
				let activity = {};
				try {
					activity = JSON.parse(Buffer.concat(chunks).toString("utf8"));
				} catch {}
				const object = activity.object;
				this.deliveries.push({
					inbox: `http://${host}${url.pathname}`,
					type: activity.type,
					activityId: activity.id,
					objectId: typeof object === "string" ? object : object?.id,
					signed: Boolean(request.headers.signature || request.headers["signature-input"]),
					at: performance.now(),
				});
				response.writeHead(202).end();
			});
			return;
		}
		this.fetches++;
		if (url.pathname === "/.well-known/webfinger") {
			const resource = url.searchParams.get("resource") ?? "";
			const [username] = resource.replace(/^acct:/, "").split("@");
			const actor = this.actors.get(`${host}/users/${username}`);
			if (!actor) return response.writeHead(404).end();
			return json(response, {
				subject: `acct:${actor.username}@${host}`,
				links: [{ rel: "self", type: "application/activity+json", href: actor.uri }],
			});
		}
		const actor = this.actors.get(`${host}${url.pathname}`);
		if (actor) return json(response, actorDocument(actor), "application/activity+json");
		response.writeHead(404).end();
	}

	deliveriesOf(objectId) {
		return this.deliveries.filter((d) => d.objectId === objectId || d.activityId === objectId);
	}

	async close() {
		await Promise.all(this.servers.map((s) => new Promise((resolve) => s.close(resolve))));
		for (const server of this.servers) server.closeAllConnections?.();
	}
}

function json(response, body, type = "application/jrd+json") {
	response.writeHead(200, { "Content-Type": type }).end(JSON.stringify(body));
}

/**
 * Signs a POST the way Mastodon does (draft-cavage HTTP Signatures, rsa-sha256,
 * over (request-target) host date digest content-type).
 */
export function signedPost(url, body, remote) {
	const target = new URL(url);
	const date = new Date().toUTCString();
	const digest = `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
	const contentType = "application/activity+json";
	const signingString = [
		`(request-target): post ${target.pathname}`,
		`host: ${target.host}`,
		`date: ${date}`,
		`digest: ${digest}`,
		`content-type: ${contentType}`,
	].join("\n");
	const signature = createSign("sha256").update(signingString).sign(remote.keys.privateKeyPem, "base64");
	return {
		method: "POST",
		headers: {
			Host: target.host,
			Date: date,
			Digest: digest,
			"Content-Type": contentType,
			Signature: `keyId="${remote.keyId}",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="${signature}"`,
		},
		body,
	};
}
