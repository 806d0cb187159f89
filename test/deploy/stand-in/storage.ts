// D1, R2 and Queues of the stand-in account (developers.cloudflare.com/api:
// d1/subresources/database, r2/subresources/buckets, queues). D1 queries run
// on node:sqlite with foreign keys enforced, as D1 does, so migrations
// really apply and a broken one fails here too.
import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { unstable_splitSqlQuery } from "wrangler";
import { ApiFailure, type ApiRequest, now, type Route } from "./api";

export interface D1 {
	uuid: string;
	name: string;
	created_at: string;
	sqlite: DatabaseSync;
}

export interface QueueRecord {
	queue_id: string;
	queue_name: string;
	created_on: string;
	modified_on: string;
	consumers: Array<Record<string, unknown>>;
	producers: Array<Record<string, unknown>>;
}

export class Storage {
	readonly databases = new Map<string, D1>();
	readonly buckets = new Map<string, { name: string; creation_date: string }>();
	readonly queues = new Map<string, QueueRecord>();

	close(): void {
		for (const db of this.databases.values()) db.sqlite.close();
	}

	queueNamed(name: unknown): QueueRecord | undefined {
		return [...this.queues.values()].find((q) => q.queue_name === name);
	}

	routes(): Route[] {
		return [
			["GET", /^\/d1\/database$/, () => this.listDatabases()],
			["POST", /^\/d1\/database$/, (r) => this.createDatabase(r)],
			["GET", /^\/d1\/database\/([^/]+)$/, (r) => ({ result: d1Json(this.database(r.params[0])) })],
			["POST", /^\/d1\/database\/([^/]+)\/query$/, (r) => this.query(r)],
			["GET", /^\/r2\/buckets$/, () => ({ result: { buckets: [...this.buckets.values()] } })],
			["GET", /^\/r2\/buckets\/([^/]+)$/, (r) => this.bucket(r.params[0])],
			["POST", /^\/r2\/buckets$/, (r) => this.createBucket(r)],
			["GET", /^\/queues$/, (r) => this.listQueues(r)],
			["POST", /^\/queues$/, (r) => this.createQueue(r)],
			["POST", /^\/queues\/([^/]+)\/consumers$/, (r) => this.addConsumer(r)],
			["PUT", /^\/queues\/([^/]+)\/consumers\/([^/]+)$/, (r) => this.updateConsumer(r)],
		];
	}

	private database(key: string | undefined): D1 {
		const name = decodeURIComponent(key ?? "");
		const db = this.databases.get(name) ?? [...this.databases.values()].find((d) => d.name === name);
		if (!db) throw new ApiFailure(404, 7404, `The database ${name} could not be found`);
		return db;
	}

	private listDatabases() {
		const list = [...this.databases.values()].map(d1Json);
		return {
			result: list,
			result_info: { page: 1, per_page: list.length, count: list.length, total_count: list.length },
		};
	}

	private createDatabase({ call }: ApiRequest) {
		const { name } = call.body as { name: string };
		if ([...this.databases.values()].some((db) => db.name === name)) {
			throw new ApiFailure(400, 7502, "A database with that name already exists");
		}
		const db: D1 = { uuid: randomUUID(), name, created_at: now(), sqlite: new DatabaseSync(":memory:") };
		db.sqlite.exec("PRAGMA foreign_keys = ON");
		this.databases.set(db.uuid, db);
		return { result: d1Json(db) };
	}

	/** D1's query endpoint: one result per statement, all of them or none. */
	private query({ call, params }: ApiRequest) {
		const db = this.database(params[0]);
		const results: unknown[] = [];
		db.sqlite.exec("BEGIN");
		try {
			for (const statement of unstable_splitSqlQuery((call.body as { sql: string }).sql)) {
				const started = performance.now();
				const prepared = db.sqlite.prepare(statement);
				const reads = prepared.columns().length > 0;
				const rows = reads ? prepared.all() : [];
				const changes = reads ? 0 : Number(prepared.run().changes);
				results.push({
					results: rows,
					success: true,
					meta: {
						changed_db: changes > 0,
						changes,
						duration: performance.now() - started,
						last_row_id: 0,
						rows_read: rows.length,
						rows_written: changes,
						size_after: 0,
					},
				});
			}
			db.sqlite.exec("COMMIT");
		} catch (error) {
			db.sqlite.exec("ROLLBACK");
			throw new ApiFailure(400, 7500, `${String((error as Error).message)}: SQLITE_ERROR`);
		}
		return { result: results };
	}

	private bucket(name: string | undefined) {
		const bucket = this.buckets.get(name ?? "");
		if (!bucket) throw new ApiFailure(404, 10006, "The specified bucket does not exist.");
		return { result: bucket };
	}

	private createBucket({ call }: ApiRequest) {
		const { name } = call.body as { name: string };
		if (this.buckets.has(name)) throw new ApiFailure(409, 10004, "The bucket you tried to create already exists.");
		const bucket = { name, creation_date: now() };
		this.buckets.set(name, bucket);
		return { result: bucket };
	}

	private listQueues({ url }: ApiRequest) {
		const names = url.searchParams.getAll("name");
		const list = [...this.queues.values()].filter((q) => names.length === 0 || names.includes(q.queue_name));
		return {
			result: list.map(queueJson),
			result_info: { page: 1, per_page: 100, count: list.length, total_count: list.length, total_pages: 1 },
		};
	}

	private createQueue({ call }: ApiRequest) {
		const { queue_name } = call.body as { queue_name: string };
		if (this.queueNamed(queue_name)) throw new ApiFailure(409, 11009, "A queue with this name already exists");
		const queue: QueueRecord = {
			queue_id: randomUUID().replaceAll("-", ""),
			queue_name,
			created_on: now(),
			modified_on: now(),
			consumers: [],
			producers: [],
		};
		this.queues.set(queue.queue_id, queue);
		return { result: queueJson(queue) };
	}

	private addConsumer({ call, params }: ApiRequest) {
		const queue = this.queues.get(params[0] ?? "");
		if (!queue) throw new ApiFailure(404, 11000, "Queue not found");
		const { script_name, ...body } = call.body as Record<string, unknown>;
		if (body.type === "worker" && queue.consumers.some((c) => c.type === "worker")) {
			throw new ApiFailure(400, 11005, "A queue can only have one worker consumer");
		}
		// Requests name the Worker `script_name`; the API's Consumer object calls it `script`.
		const consumer = {
			...body,
			script: script_name,
			consumer_id: randomUUID().replaceAll("-", ""),
			created_on: now(),
			queue_id: queue.queue_id,
			queue_name: queue.queue_name,
		};
		queue.consumers.push(consumer);
		return { result: consumer };
	}

	private updateConsumer({ call, params }: ApiRequest) {
		const queue = this.queues.get(params[0] ?? "");
		const index = queue?.consumers.findIndex((c) => c.consumer_id === params[1]) ?? -1;
		if (!queue || index < 0) throw new ApiFailure(404, 11000, "Consumer not found");
		const { script_name, ...body } = call.body as Record<string, unknown>;
		queue.consumers[index] = { ...queue.consumers[index], ...body, ...(script_name ? { script: script_name } : {}) };
		return { result: queue.consumers[index] };
	}
}

function d1Json(db: D1) {
	return {
		uuid: db.uuid,
		name: db.name,
		created_at: db.created_at,
		version: "production",
		num_tables: 0,
		file_size: 0,
	};
}

function queueJson(q: QueueRecord) {
	return { ...q, producers_total_count: q.producers.length, consumers_total_count: q.consumers.length };
}
