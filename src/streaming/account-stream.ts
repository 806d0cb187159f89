import { DurableObject } from "cloudflare:workers";
import { createDb, type Db } from "../db/client";
import { invocationMeter, isBenchRun } from "../db/stats";
import {
	type DispatchContext,
	dispatch,
	type StreamConnection,
	type StreamMessage,
} from "../services/streaming/dispatch";
import type { StreamDelivery } from "../services/streaming/events";
import { settleDeliveries, streamOf } from "../services/streaming/publish";
import { StreamError, type StreamParams, type Subscription } from "../services/streaming/streams";
import { authorizeSubscription, recordSubscriptions } from "../services/streaming/subscriptions";
import { loadViewerContext, MAX_AGE_MS, type ViewerContext } from "../services/streaming/viewer";
import { recordUsageNow } from "../services/usage/counters";
import { meteredEnv, UsageMeter } from "../services/usage/meter";
import { readHandshake, type StreamHandshake } from "./handshake";

/** What each WebSocket keeps across hibernation (serializeAttachment allows 2 KiB). */
interface SocketState {
	accountId: string;
	tokenId: string;
	scopes: string[];
	subscriptions: Subscription[];
}

interface EventSourceConnection extends StreamConnection {
	accountId: string;
}

/** More would not fit a socket's 2 KiB attachment; Mastodon's apps open a handful. */
const MAX_SUBSCRIPTIONS = 16;
const MAX_ATTACHMENT_BYTES = 2048;
/** SSE comment lines keep proxies from closing an idle stream, as Mastodon sends them. */
const SSE_HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

/**
 * One local account's streaming connections: the WebSockets (accepted with
 * the Hibernation API, so an idle connection costs nothing: the object leaves
 * memory and the runtime keeps the socket) and Server-Sent Events streams
 * (held in memory while open). The Worker authenticates, then hands the
 * connection here; services deliver events through `deliver`. Which streams
 * are open is mirrored in D1 (stream_subscriptions) so that publishers wake
 * only the objects of accounts that are listening.
 */
export class AccountStream extends DurableObject<Env> {
	private viewer: ViewerContext | null = null;
	private readonly eventSources = new Map<number, EventSourceConnection>();
	private nextEventSource = 1;
	private syncing: Promise<void> = Promise.resolve();

	/**
	 * Runs one entry point with its own database handle. The request itself is
	 * counted by the caller's stub (services/usage/meter.ts); what it costs in
	 * D1 joins the daily usage counters like any invocation's, and under the
	 * benchmark it is logged. It is written at once: a hibernating object
	 * leaves memory soon after, and what it kept back would be lost.
	 */
	private async metered<T>(op: string, work: (db: Db, env: Env) => Promise<T>): Promise<T> {
		const meter = invocationMeter(this.env);
		const usage = new UsageMeter(meter);
		try {
			return await work(createDb(this.env.DB, meter), meteredEnv(this.env, usage));
		} finally {
			recordUsageNow(this.env.DB, usage.total(), this.ctx);
			// The id tells repeated copies of one log line apart from two requests.
			if (isBenchRun(this.env)) console.log(`tern-do op=${op}; ${meter.summary()}; id=${crypto.randomUUID()}`);
		}
	}

	/** A connection handed over by the Worker: a WebSocket upgrade or an SSE request. */
	async fetch(request: Request): Promise<Response> {
		const handshake = readHandshake(request);
		if (!handshake) return new Response("Not found", { status: 404 });
		return this.metered("connect", async (db) => {
			// Changes to the viewer are announced only to accounts that are listening.
			if (this.openConnections().length === 0) await this.forgetViewer();
			const response =
				request.headers.get("Upgrade")?.toLowerCase() === "websocket"
					? this.acceptSocket(handshake)
					: this.openEventSource(handshake);
			// Recorded before the client hears back, so nothing published after it connects is missed.
			await this.sync(db, handshake.accountId);
			return response;
		});
	}

	/** Called by the Worker's publish points (services/streaming/publish.ts). */
	async deliver(accountId: string, delivery: StreamDelivery): Promise<void> {
		await this.metered(`deliver type=${delivery.type}`, (db) => this.deliverHere(db, accountId, delivery));
	}

	/**
	 * One event for many listening accounts, handed to the first of them by a
	 * publish point: this object delivers its own and forwards the others. The
	 * posting request makes one call however many listen, which keeps it within
	 * the Worker's CPU limit (an object is not held to that limit). The
	 * forwarded calls are counted as Durable Object requests like the Worker's.
	 */
	async fanOut(self: string, deliveries: [string, StreamDelivery][]): Promise<void> {
		await this.metered(`fanout n=${deliveries.length}`, (db, env) =>
			settleDeliveries(
				deliveries.map(([accountId, delivery]) =>
					accountId === self
						? this.deliverHere(db, accountId, delivery)
						: streamOf(env, accountId).deliver(accountId, delivery),
				),
			),
		);
	}

	private async deliverHere(db: Db, accountId: string, delivery: StreamDelivery): Promise<void> {
		const connections = this.openConnections();
		if (connections.length === 0) {
			// A row left by connections that went away without a close: the first event cleans it.
			await this.sync(db, accountId);
			return;
		}
		await dispatch(this.dispatchContext(db, accountId), connections, delivery);
	}

	/** Counts for tests and the benchmark. */
	async stats(): Promise<{ sockets: number; eventSources: number; streams: string[] }> {
		return {
			sockets: this.openSockets().length,
			eventSources: this.eventSources.size,
			streams: (await this.ctx.storage.get<string[]>("streams")) ?? [],
		};
	}

	async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
		await this.metered("message", (db) => this.onMessage(db, ws, message));
	}

	private async onMessage(db: Db, ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
		const state = ws.deserializeAttachment() as SocketState | null;
		if (!state) return;
		if (typeof message !== "string") {
			ws.close(1003, "The streaming server does not support binary messages");
			return;
		}
		let json: { type?: unknown; stream?: unknown } & StreamParams;
		try {
			json = JSON.parse(message);
		} catch {
			return;
		}
		if (json === null || typeof json !== "object") return;
		const { type, stream, ...params } = json;
		try {
			if (type === "subscribe") await this.subscribe(db, ws, state, stream, params);
			else if (type === "unsubscribe") await this.unsubscribe(db, ws, state, stream, params);
		} catch (error) {
			if (!(error instanceof StreamError)) throw error;
			ws.send(JSON.stringify({ error: error.message, status: error.status }));
		}
	}

	async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
		const state = ws.deserializeAttachment() as SocketState | null;
		try {
			// 1005, 1006 and 1015 only report what happened; they are never sent.
			ws.close([1005, 1006, 1015].includes(code) ? 1000 : code, reason);
		} catch {
			// Already closed.
		}
		if (state) await this.metered("close", (db) => this.sync(db, state.accountId, ws));
	}

	async webSocketError(ws: WebSocket): Promise<void> {
		const state = ws.deserializeAttachment() as SocketState | null;
		if (state) await this.metered("error", (db) => this.sync(db, state.accountId, ws));
	}

	private acceptSocket(handshake: StreamHandshake): Response {
		const pair = new WebSocketPair();
		const [client, server] = [pair[0], pair[1]];
		this.ctx.acceptWebSocket(server);
		const state: SocketState = {
			accountId: handshake.accountId,
			tokenId: handshake.tokenId,
			scopes: handshake.scopes,
			subscriptions: handshake.subscriptions,
		};
		server.serializeAttachment(state);
		const headers = new Headers();
		// A token sent as the subprotocol must be echoed, or browsers drop the connection.
		if (handshake.protocol) headers.set("Sec-WebSocket-Protocol", handshake.protocol);
		return new Response(null, { status: 101, webSocket: client, headers });
	}

	private openEventSource(handshake: StreamHandshake): Response {
		const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
		const writer = writable.getWriter();
		const id = this.nextEventSource++;
		let heartbeat: ReturnType<typeof setInterval> | null = null;
		const close = () => {
			if (!this.eventSources.delete(id)) return;
			if (heartbeat !== null) clearInterval(heartbeat);
			writer.close().catch(() => {});
			this.metered("close", (db) => this.sync(db, handshake.accountId)).catch(() => {});
		};
		const write = (text: string) => {
			writer.write(encoder.encode(text)).catch(close);
		};
		this.eventSources.set(id, {
			accountId: handshake.accountId,
			subscriptions: handshake.subscriptions,
			scopes: handshake.scopes,
			tokenId: handshake.tokenId,
			send: (message: StreamMessage) => write(`event: ${message.event}\ndata: ${message.payload}\n\n`),
			close,
		});
		// A client that goes away cancels the stream, which errors the writer (the heartbeat catches the rest).
		writer.closed.catch(close);
		write(":)\n");
		heartbeat = setInterval(() => write(":thump\n"), SSE_HEARTBEAT_MS);
		return new Response(readable, {
			headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store" },
		});
	}

	private async subscribe(
		db: Db,
		ws: WebSocket,
		state: SocketState,
		name: unknown,
		params: StreamParams,
	): Promise<void> {
		const subscription = await authorizeSubscription(db, state.accountId, state.scopes, name, params);
		if (state.subscriptions.some((s) => s.key === subscription.key)) return;
		const next = { ...state, subscriptions: [...state.subscriptions, subscription] };
		if (
			next.subscriptions.length > MAX_SUBSCRIPTIONS ||
			encoder.encode(JSON.stringify(next)).length > MAX_ATTACHMENT_BYTES
		) {
			throw new StreamError("Too many subscriptions on this connection", 422);
		}
		ws.serializeAttachment(next);
		await this.sync(db, state.accountId);
	}

	private async unsubscribe(
		db: Db,
		ws: WebSocket,
		state: SocketState,
		name: unknown,
		params: StreamParams,
	): Promise<void> {
		let key: string;
		try {
			key = (await authorizeSubscription(db, state.accountId, state.scopes, name, params)).key;
		} catch (error) {
			if (!(error instanceof StreamError)) throw error;
			throw new StreamError("Error unsubscribing from channel", error.status);
		}
		ws.serializeAttachment({ ...state, subscriptions: state.subscriptions.filter((s) => s.key !== key) });
		await this.sync(db, state.accountId);
	}

	private openSockets(except?: WebSocket): WebSocket[] {
		return this.ctx
			.getWebSockets()
			.filter((ws) => ws !== except && ws.readyState === WebSocket.OPEN && ws.deserializeAttachment() !== null);
	}

	private openConnections(except?: WebSocket): StreamConnection[] {
		const sockets = this.openSockets(except).map((ws): StreamConnection => {
			const state = ws.deserializeAttachment() as SocketState;
			return {
				subscriptions: state.subscriptions,
				scopes: state.scopes,
				tokenId: state.tokenId,
				send: (message) => ws.send(JSON.stringify(message)),
				close: () => ws.close(1000, "Access token revoked"),
			};
		});
		return [...sockets, ...this.eventSources.values()];
	}

	/**
	 * Mirrors the union of the open connections' streams into D1, one sync at
	 * a time; `closing` is a socket being closed, which the runtime may still list.
	 */
	private sync(db: Db, accountId: string, closing?: WebSocket): Promise<void> {
		const run = async () => {
			const wanted = [...new Set(this.openConnections(closing).flatMap((c) => c.subscriptions.map((s) => s.key)))];
			const recorded = (await this.ctx.storage.get<string[]>("streams")) ?? [];
			await recordSubscriptions(db, accountId, recorded, wanted);
			await this.ctx.storage.put("streams", wanted);
		};
		this.syncing = this.syncing.then(run, run);
		return this.syncing;
	}

	private dispatchContext(db: Db, accountId: string): DispatchContext {
		return {
			db,
			viewerId: accountId,
			viewer: () => this.loadViewer(db, accountId),
			forgetViewer: () => this.forgetViewer(),
		};
	}

	private async loadViewer(db: Db, accountId: string): Promise<ViewerContext> {
		const now = Date.now();
		if (!this.viewer) this.viewer = (await this.ctx.storage.get<ViewerContext>("viewer")) ?? null;
		if (this.viewer && now - this.viewer.loadedAt < MAX_AGE_MS) return this.viewer;
		this.viewer = await loadViewerContext(db, accountId, now);
		await this.ctx.storage.put("viewer", this.viewer);
		return this.viewer;
	}

	private async forgetViewer(): Promise<void> {
		this.viewer = null;
		await this.ctx.storage.delete("viewer");
	}
}
