// A local stand-in for the Cloudflare API endpoints `npm run deploy` reaches
// through wrangler (CLOUDFLARE_API_BASE_URL points here). It keeps what a real
// account would (D1 databases, R2 buckets, Queues and their consumers, Worker
// scripts, versions, secrets, schedules), records every call in order, and
// answers in the API's envelope `{ success, errors, messages, result }`.
// Shapes follow wrangler's client code (node_modules/wrangler) checked against
// Cloudflare's API reference (developers.cloudflare.com/api); fields wrangler
// does not read are left out. Anything else answers 404 and is listed in
// `unanswered`, so a new call from a newer wrangler shows up in the test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiFailure, type ApiResult, envelope, failureEnvelope, type RecordedCall, type Route } from "./api";
import { type D1, type QueueRecord, Storage } from "./storage";
import { type ScriptRecord, type ScriptUpload, Workers } from "./workers";

export type { D1, QueueRecord, RecordedCall, ScriptRecord, ScriptUpload };

export class CloudflareStandIn {
	readonly calls: RecordedCall[] = [];
	/** Requests no route answered. */
	readonly unanswered: string[] = [];
	private readonly storage = new Storage();
	private readonly workers: Workers;
	private readonly routes: Route[];
	private server: Server | undefined;

	constructor(
		readonly accountId: string,
		/** The API token every request must carry as `Authorization: Bearer`. */
		private readonly token: string,
		readonly workersSubdomain = "rehearsal",
	) {
		this.workers = new Workers(this.storage, workersSubdomain);
		this.routes = [...this.storage.routes(), ...this.workers.routes()];
	}

	get databases(): Map<string, D1> {
		return this.storage.databases;
	}
	get buckets(): Map<string, { name: string }> {
		return this.storage.buckets;
	}
	get queues(): Map<string, QueueRecord> {
		return this.storage.queues;
	}
	get scripts(): Map<string, ScriptRecord> {
		return this.workers.scripts;
	}
	get uploads(): ScriptUpload[] {
		return this.workers.uploads;
	}

	/** Starts listening on a free loopback port; returns the base URL for CLOUDFLARE_API_BASE_URL. */
	async listen(): Promise<string> {
		const server = createServer((request, response) => {
			this.handle(request, response).catch((error) =>
				send(response, 500, failureEnvelope(new ApiFailure(500, 10000, String(error)))),
			);
		});
		this.server = server;
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		return `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
	}

	async close(): Promise<void> {
		await new Promise((resolve) => this.server?.close(resolve));
		this.storage.close();
	}

	private async handle(request: IncomingMessage, response: ServerResponse) {
		const url = new URL(request.url ?? "/", "http://stand-in");
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const contentType = request.headers["content-type"] ?? "";
		const call: RecordedCall = {
			method: request.method ?? "GET",
			path: url.pathname.replace(/^\/client\/v4/, ""),
			query: url.search,
			seq: this.calls.length,
			status: 200,
		};
		this.calls.push(call);
		try {
			if (request.headers.authorization !== `Bearer ${this.token}`)
				throw new ApiFailure(403, 10000, "Authentication error");
			// Some of wrangler's calls send JSON without saying so.
			if (!contentType.startsWith("multipart/") && /^\s*[[{]/.test(raw.toString("utf8", 0, 64))) {
				call.body = JSON.parse(raw.toString("utf8"));
			}
			send(response, 200, envelope(this.route(call, url, raw, contentType)));
		} catch (error) {
			const failure = error instanceof ApiFailure ? error : new ApiFailure(500, 10000, String(error));
			call.status = failure.status;
			send(response, failure.status, failureEnvelope(failure));
		}
	}

	private route(call: RecordedCall, url: URL, raw: Buffer, contentType: string): ApiResult {
		const identity = this.identity(call.path);
		if (identity) return identity;
		const account = /^\/accounts\/([^/]+)(\/.*)$/.exec(call.path);
		if (!account || account[1] !== this.accountId) throw new ApiFailure(403, 10000, "Authentication error");
		const path = account[2] as string;
		for (const [method, pattern, handler] of this.routes) {
			const match = method === call.method ? pattern.exec(path) : null;
			if (match) return handler({ call, params: match.slice(1), url, raw, contentType });
		}
		this.unanswered.push(`${call.method} ${call.path}${call.query}`);
		throw new ApiFailure(404, 7003, `No route for that URI (${call.method} ${call.path})`);
	}

	/** Who the token belongs to: wrangler asks when it explains an error (`whoami`). */
	private identity(path: string): ApiResult | undefined {
		if (path === "/user/tokens/verify") return { result: { id: "rehearsal-token", status: "active" } };
		if (path === "/user") return { result: { id: "rehearsal-user", email: "rehearsal@tern.test" } };
		if (path === "/memberships") {
			return { result: [{ id: "membership", account: { id: this.accountId, name: "Rehearsal" }, status: "accepted" }] };
		}
		return undefined;
	}
}

function send(response: ServerResponse, status: number, body: unknown) {
	response.writeHead(status, { "Content-Type": "application/json" });
	response.end(JSON.stringify(body));
}
