import { createServer, type IncomingMessage, type Server } from "node:http";
import {
	createFederation,
	exportJwk,
	type Federation,
	generateCryptoKeyPair,
	type HttpMessageSignaturesSpec,
	InProcessMessageQueue,
	importJwk,
	MemoryKvStore,
} from "@fedify/fedify";
import {
	Accept,
	type Activity,
	Announce,
	type Object as APObject,
	Create,
	Endpoints,
	Flag,
	Follow,
	Like,
	Mention,
	Move,
	Note,
	Person,
	PUBLIC_COLLECTION,
	Reject,
	Undo,
	Update,
} from "@fedify/vocab";

/**
 * A real Fedify server with one actor, `peer`, on 127.0.0.1: it follows,
 * posts, replies, likes, boosts and unfollows like any Fedify app, and keeps
 * every activity its inbox received so tests can wait for them.
 */
/** An inbox POST the peer made, with the signature scheme it used and the answer it got. */
export interface SentPost {
	url: string;
	scheme: "rfc9421" | "draft-cavage" | "none";
	status: number;
}

export interface FedifyPeer {
	origin: string;
	sent: SentPost[];
	actorUri: string;
	/** Activities its inbox listeners recorded: each activity once, as Fedify drops a repeated id. */
	received: Activity[];
	/** Every POST to its inboxes as it arrived, repeats included: the inbox and the activity's id. */
	inboxPosts: { url: string; id: string | null }[];
	federation: Federation<void>;
	close(): Promise<void>;
	waitFor<T extends Activity>(predicate: (activity: Activity) => activity is T, timeoutMs?: number): Promise<T>;
	waitFor(predicate: (activity: Activity) => boolean, timeoutMs?: number): Promise<Activity>;
	send(recipient: APObject & { id: URL | null }, activity: Activity): Promise<void>;
	lookup(uri: string): Promise<APObject | null>;
	notes: Map<string, Note>;
}

const IDENTIFIER = "peer";

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const headers = new Headers();
	for (const [name, value] of Object.entries(req.headers)) {
		if (Array.isArray(value)) for (const v of value) headers.append(name, v);
		else if (value !== undefined) headers.set(name, value);
	}
	const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
	return new Request(new URL(req.url ?? "/", origin), {
		method: req.method,
		headers,
		body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
	});
}

export async function startFedifyPeer(port: number, firstKnock: HttpMessageSignaturesSpec): Promise<FedifyPeer> {
	const origin = `http://127.0.0.1:${port}`;
	const federation = createFederation<void>({
		kv: new MemoryKvStore(),
		queue: new InProcessMessageQueue(),
		allowPrivateAddress: true,
		firstKnock,
		origin,
	});
	const rsa = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
	const ed = await generateCryptoKeyPair("Ed25519");
	const jwks = [
		{ privateKey: await exportJwk(rsa.privateKey), publicKey: await exportJwk(rsa.publicKey) },
		{ privateKey: await exportJwk(ed.privateKey), publicKey: await exportJwk(ed.publicKey) },
	];
	const received: Activity[] = [];
	const waiters: { predicate: (a: Activity) => boolean; resolve: (a: Activity) => void }[] = [];
	const notes = new Map<string, Note>();
	const sent: SentPost[] = [];
	// Fedify sends through the global fetch: wrap it to see which signature scheme each POST carried.
	const originalFetch = globalThis.fetch;
	globalThis.fetch = async (input, init) => {
		const request = new Request(input, init);
		const response = await originalFetch(request);
		if (request.method === "POST") {
			const scheme = request.headers.has("signature-input")
				? "rfc9421"
				: request.headers.has("signature")
					? "draft-cavage"
					: "none";
			sent.push({ url: request.url, scheme, status: response.status });
		}
		return response;
	};

	federation
		.setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
			if (identifier !== IDENTIFIER) return null;
			const keys = await ctx.getActorKeyPairs(identifier);
			return new Person({
				id: ctx.getActorUri(identifier),
				preferredUsername: identifier,
				name: "Fedify Peer",
				url: ctx.getActorUri(identifier),
				inbox: ctx.getInboxUri(identifier),
				endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
				followers: ctx.getFollowersUri(identifier),
				publicKey: keys[0]?.cryptographicKey,
				assertionMethods: keys.map((k) => k.multikey),
			});
		})
		.setKeyPairsDispatcher(async () =>
			Promise.all(
				jwks.map(async (pair) => ({
					privateKey: await importJwk(pair.privateKey, "private"),
					publicKey: await importJwk(pair.publicKey, "public"),
				})),
			),
		);
	federation.setFollowersDispatcher("/users/{identifier}/followers", async () => ({ items: [] }));
	federation.setObjectDispatcher(
		Note,
		"/notes/{id}",
		(ctx, values) => notes.get(ctx.getObjectUri(Note, values).href) ?? null,
	);

	const record = async (_ctx: unknown, activity: Activity) => {
		received.push(activity);
		for (const waiter of [...waiters]) {
			if (waiter.predicate(activity)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(activity);
			}
		}
	};
	federation
		.setInboxListeners("/users/{identifier}/inbox", "/inbox")
		.on(Accept, record)
		.on(Reject, record)
		.on(Create, record)
		.on(Update, record)
		.on(Announce, record)
		.on(Like, record)
		.on(Follow, record)
		.on(Move, record)
		.on(Flag, record)
		.on(Undo, record);

	const inboxPosts: { url: string; id: string | null }[] = [];
	const server: Server = createServer(async (req, res) => {
		try {
			const request = await toRequest(req, origin);
			if (request.method === "POST") {
				let id: string | null = null;
				try {
					id = (JSON.parse(await request.clone().text()) as { id?: string }).id ?? null;
				} catch {
					// Not JSON: Fedify answers it.
				}
				inboxPosts.push({ url: request.url, id });
			}
			const response = await federation.fetch(request, { contextData: undefined });
			res.writeHead(response.status, Object.fromEntries(response.headers));
			res.end(Buffer.from(await response.arrayBuffer()));
		} catch (error) {
			res.writeHead(500);
			res.end(String(error));
		}
	});
	await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
	const ctx = federation.createContext(new URL(origin), undefined);

	return {
		origin,
		actorUri: ctx.getActorUri(IDENTIFIER).href,
		received,
		federation,
		notes,
		sent,
		inboxPosts,
		close: () =>
			new Promise((resolve) => {
				globalThis.fetch = originalFetch;
				server.close(() => resolve());
			}),
		waitFor(predicate: (activity: Activity) => boolean, timeoutMs = 30_000): Promise<Activity> {
			const found = received.find(predicate);
			if (found) return Promise.resolve(found);
			return new Promise((resolve, reject) => {
				const waiter = { predicate, resolve };
				waiters.push(waiter);
				setTimeout(() => {
					const index = waiters.indexOf(waiter);
					if (index >= 0) waiters.splice(index, 1);
					reject(new Error(`Timed out; the peer received: ${received.map((a) => a.constructor.name).join(", ")}`));
				}, timeoutMs);
			});
		},
		async send(recipient, activity) {
			await ctx.sendActivity({ identifier: IDENTIFIER }, recipient as never, activity, { immediate: true });
		},
		lookup: (uri: string) => ctx.lookupObject(uri),
	} as FedifyPeer;
}

export { Announce, Create, Flag, Follow, Like, Mention, Note, PUBLIC_COLLECTION, Undo };
