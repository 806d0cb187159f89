import type { D1Meter } from "../../db/stats";

/**
 * What one invocation spends of what Cloudflare bills, counted where it is
 * spent: the bindings are wrapped (`meteredEnv`) so no service has to count
 * anything itself. D1 is counted by the D1Meter that `createDb` already
 * wraps around the binding.
 */
export const USAGE_FIELDS = [
	"requests",
	"queue_invocations",
	"cron_invocations",
	"queue_writes",
	"queue_reads",
	"queue_deletes",
	"d1_queries",
	"d1_rows_read",
	"d1_rows_written",
	"r2_class_a",
	"r2_class_b",
	"r2_bytes_written",
	"images_transformations",
	"do_requests",
] as const;

export type UsageField = (typeof USAGE_FIELDS)[number];
export type UsageCounts = Record<UsageField, number>;

export function emptyUsage(): UsageCounts {
	return Object.fromEntries(USAGE_FIELDS.map((field) => [field, 0])) as UsageCounts;
}

export function addUsage(into: UsageCounts, from: Partial<UsageCounts>): UsageCounts {
	for (const field of USAGE_FIELDS) into[field] += from[field] ?? 0;
	return into;
}

/** Queues bill one operation per 64 KB written, read or deleted. */
const QUEUE_OPERATION_BYTES = 64 * 1024;

function messageOperations(body: unknown): number {
	const size = typeof body === "string" ? body.length : JSON.stringify(body ?? null).length;
	return Math.max(1, Math.ceil(size / QUEUE_OPERATION_BYTES));
}

export class UsageMeter {
	readonly counts = emptyUsage();
	readonly d1: D1Meter;

	/** Set once the invocation's counts were recorded: what is spent later (in `waitUntil`) goes straight there. */
	private late: ((counts: UsageCounts) => void) | undefined;

	constructor(d1: D1Meter) {
		this.d1 = d1;
	}

	add(field: UsageField, amount = 1): void {
		if (this.late) {
			const counts = emptyUsage();
			counts[field] = amount;
			this.late(counts);
			return;
		}
		this.counts[field] += amount;
	}

	/** Hands this invocation's counts to `record`, and every count added afterwards as it comes. */
	seal(record: (counts: UsageCounts) => void): void {
		record(this.total());
		this.late = record;
	}

	/** This invocation's counts, D1 included. */
	total(): UsageCounts {
		return addUsage(
			{ ...this.counts },
			{ d1_queries: this.d1.queries, d1_rows_read: this.d1.rowsRead, d1_rows_written: this.d1.rowsWritten },
		);
	}

	/** `r2_class_a=2; queue_writes=1`: the non-zero counts other than D1's (the benchmark's X-Tern-Usage header). */
	summary(): string {
		return USAGE_FIELDS.filter((field) => !field.startsWith("d1_") && this.counts[field] > 0)
			.map((field) => `${field}=${this.counts[field]}`)
			.join("; ");
	}

	/** A queue consumer's batch: every delivery attempt reads each message, every ack deletes it. */
	receivedBatch(batch: MessageBatch<unknown>): MessageBatch<unknown> {
		this.add("queue_invocations");
		let reads = 0;
		for (const message of batch.messages) reads += messageOperations(message.body);
		this.add("queue_reads", reads);
		return batch;
	}

	/** A message the consumer acked (explicitly or by finishing without a retry). */
	acked(message: Message<unknown>): void {
		this.add("queue_deletes", messageOperations(message.body));
	}
}

/** R2: writes and listings are Class A, reads Class B; deletes are free (https://developers.cloudflare.com/r2/pricing/). */
function meteredBucket(bucket: R2Bucket, meter: UsageMeter): R2Bucket {
	return new Proxy(bucket, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (typeof value !== "function") return value;
			return (...args: unknown[]) => {
				if (property === "put") {
					meter.add("r2_class_a");
					const body = args[1];
					if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) meter.add("r2_bytes_written", body.byteLength);
					else if (typeof body === "string") meter.add("r2_bytes_written", body.length);
				} else if (property === "list" || property === "createMultipartUpload") {
					meter.add("r2_class_a");
				} else if (property === "get" || property === "head") {
					meter.add("r2_class_b");
				}
				return value.apply(target, args);
			};
		},
	});
}

function meteredQueue(queue: Queue, meter: UsageMeter): Queue {
	return {
		send: (body: unknown, options?: QueueSendOptions) => {
			meter.add("queue_writes", messageOperations(body));
			return queue.send(body, options);
		},
		sendBatch: (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
			const list = [...messages];
			for (const message of list) meter.add("queue_writes", messageOperations(message.body));
			return queue.sendBatch(list, options);
		},
	} as Queue;
}

/** The Images binding: each `output()` of an input is one transformation (https://developers.cloudflare.com/images/pricing/). */
function meteredImages(images: ImagesBinding, meter: UsageMeter): ImagesBinding {
	const chain = (transformer: ImageTransformer): ImageTransformer =>
		new Proxy(transformer, {
			get(target, property, receiver) {
				const value = Reflect.get(target, property, receiver);
				if (typeof value !== "function") return value;
				return (...args: unknown[]) => {
					if (property === "output") meter.add("images_transformations");
					const result = value.apply(target, args);
					return property === "transform" || property === "draw" ? chain(result as ImageTransformer) : result;
				};
			},
		});
	return new Proxy(images, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (typeof value !== "function") return value;
			if (property === "input") return (...args: unknown[]) => chain(value.apply(target, args));
			return value.bind(target);
		},
	});
}

/** A Durable Object stub: every fetch and every RPC call is one billed request. */
function meteredStub<T extends object>(stub: T, meter: UsageMeter): T {
	return new Proxy(stub, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (typeof value !== "function" || typeof property !== "string" || property === "then") return value;
			return (...args: unknown[]) => {
				meter.add("do_requests");
				return value.apply(target, args);
			};
		},
	});
}

function meteredNamespace(namespace: DurableObjectNamespace, meter: UsageMeter): DurableObjectNamespace {
	return new Proxy(namespace, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (typeof value !== "function") return value;
			if (property === "get" || property === "getByName") {
				return (...args: unknown[]) => meteredStub(value.apply(target, args), meter);
			}
			return value.bind(target);
		},
	});
}

function isBucket(binding: unknown): binding is R2Bucket {
	return typeof binding === "object" && binding !== null && "createMultipartUpload" in binding;
}

function isQueue(binding: unknown): binding is Queue {
	return typeof binding === "object" && binding !== null && "sendBatch" in binding && "send" in binding;
}

function isImages(binding: unknown): binding is ImagesBinding {
	return typeof binding === "object" && binding !== null && "input" in binding && "info" in binding;
}

function isNamespace(binding: unknown): binding is DurableObjectNamespace {
	return typeof binding === "object" && binding !== null && "idFromName" in binding && "get" in binding;
}

/**
 * The env with its R2 buckets, queues, Images binding and Durable Object
 * namespaces counting into `meter`; everything else (D1 among it, so caches
 * keyed by the D1 binding keep working) is passed through as it is.
 */
export function meteredEnv(env: Env, meter: UsageMeter): Env {
	const wrapped: Record<string, unknown> = { ...env };
	for (const [name, binding] of Object.entries(env)) {
		if (isBucket(binding)) wrapped[name] = meteredBucket(binding, meter);
		else if (isQueue(binding)) wrapped[name] = meteredQueue(binding, meter);
		else if (isImages(binding)) wrapped[name] = meteredImages(binding, meter);
		else if (isNamespace(binding)) wrapped[name] = meteredNamespace(binding, meter);
	}
	return wrapped as unknown as Env;
}
