import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";

/** One message as the streaming API sends it, payload parsed when it is JSON. */
export interface StreamEvent {
	stream: string[];
	event: string;
	payload?: string;
	// biome-ignore lint/suspicious/noExplicitAny: payloads are whatever Mastodon entity the event carries
	json?: any;
}

/** A WebSocket client on the streaming API inside workerd, collecting what it receives. */
export class StreamClient {
	readonly events: StreamEvent[] = [];
	private waiters: (() => void)[] = [];
	closed = false;

	constructor(readonly ws: WebSocket) {
		ws.accept();
		ws.addEventListener("message", (event) => {
			const message = JSON.parse(event.data as string) as StreamEvent;
			if (message.payload && message.event !== "delete" && message.payload.startsWith("{")) {
				message.json = JSON.parse(message.payload);
			}
			this.events.push(message);
			for (const wake of this.waiters.splice(0)) wake();
		});
		ws.addEventListener("close", () => {
			this.closed = true;
			for (const wake of this.waiters.splice(0)) wake();
		});
	}

	send(message: unknown): void {
		this.ws.send(JSON.stringify(message));
	}

	/** Waits for an event matching `test` (already received or to come). */
	async next(test: (event: StreamEvent) => boolean, timeoutMs = 5000): Promise<StreamEvent> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.events.find(test);
			if (found) return found;
			if (this.closed) throw new Error("stream closed");
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`no matching event; got ${JSON.stringify(this.events.map((e) => e.event))}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	close(): void {
		this.ws.close(1000, "done");
	}
}

/** Opens the multiplexed WebSocket with the token sent the way `via` says. */
export async function openStream(
	token: string,
	options: { query?: string; via?: "header" | "query" | "protocol" } = {},
): Promise<StreamClient> {
	const via = options.via ?? "header";
	const headers = new Headers({ Upgrade: "websocket" });
	if (via === "header") headers.set("Authorization", `Bearer ${token}`);
	if (via === "protocol") headers.set("Sec-WebSocket-Protocol", token);
	const query = [options.query, via === "query" ? `access_token=${token}` : ""].filter(Boolean).join("&");
	const response = await exports.default.fetch(
		new Request(`https://tern.test/api/v1/streaming${query ? `?${query}` : ""}`, { headers }),
	);
	expect(response.status).toBe(101);
	if (via === "protocol") expect(response.headers.get("Sec-WebSocket-Protocol")).toBe(token);
	const ws = response.webSocket;
	if (!ws) throw new Error("no WebSocket in the response");
	return new StreamClient(ws);
}

/** Subscribes and waits until the account's object recorded it (the subscription round trip has no reply). */
export async function subscribe(client: StreamClient, accountId: string, message: Record<string, unknown>) {
	const before = (await streamStats(accountId)).streams.length;
	client.send({ type: "subscribe", ...message });
	await until(async () => (await streamStats(accountId)).streams.length > before);
}

export function streamStats(accountId: string) {
	return env.ACCOUNT_STREAMS.get(env.ACCOUNT_STREAMS.idFromName(accountId)).stats();
}

export async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error("condition not met in time");
		await new Promise((r) => setTimeout(r, 20));
	}
}

/** An SSE client on one stream path, reading the event lines as they come. */
export class EventSourceClient {
	readonly events: { event: string; data: string }[] = [];
	private buffer = "";
	private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
	private readonly decoder = new TextDecoder();
	comments = 0;

	constructor(readonly response: Response) {
		if (!response.body) throw new Error("no body");
		this.reader = response.body.getReader();
	}

	private parse(): void {
		let end = this.buffer.indexOf("\n\n");
		while (end >= 0 || this.buffer.startsWith(":")) {
			if (this.buffer.startsWith(":")) {
				const line = this.buffer.indexOf("\n");
				if (line < 0) return;
				this.comments++;
				this.buffer = this.buffer.slice(line + 1);
			} else {
				const block = this.buffer.slice(0, end);
				this.buffer = this.buffer.slice(end + 2);
				const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
				const data = /^data: (.*)$/m.exec(block)?.[1] ?? "";
				this.events.push({ event, data });
			}
			end = this.buffer.indexOf("\n\n");
		}
	}

	async next(test: (event: { event: string; data: string }) => boolean, timeoutMs = 5000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.events.find(test);
			if (found) return found;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`no matching SSE event; got ${JSON.stringify(this.events.map((e) => e.event))}`);
			const chunk = await Promise.race([
				this.reader.read(),
				new Promise<null>((resolve) => setTimeout(() => resolve(null), left)),
			]);
			if (chunk === null) continue;
			if (chunk.done) throw new Error("SSE stream ended");
			this.buffer += this.decoder.decode(chunk.value, { stream: true });
			this.parse();
		}
	}

	async cancel(): Promise<void> {
		await this.reader.cancel();
	}
}

export async function openEventSource(token: string, path: string): Promise<EventSourceClient> {
	const response = await exports.default.fetch(
		new Request(`https://tern.test/api/v1/streaming/${path}`, { headers: { Authorization: `Bearer ${token}` } }),
	);
	expect(response.status).toBe(200);
	expect(response.headers.get("Content-Type")).toBe("text/event-stream");
	return new EventSourceClient(response);
}
