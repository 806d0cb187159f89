import { type Entry, type FileEntry, Reader, ZipReader } from "@zip.js/zip.js/lib/zip-core-custom.js";
import "./zip-segments";

/**
 * Reading an uploaded zip in place in R2: zip.js asks for byte ranges (the
 * end record, the central directory, one entry's data) and each becomes an
 * R2 range read, so an archive of gigabytes is never held in memory.
 */
class R2RangeReader extends Reader<string> {
	constructor(
		private readonly bucket: R2Bucket,
		private readonly key: string,
		private readonly objectSize: number,
	) {
		super(key);
	}

	override async init(): Promise<void> {
		await super.init?.();
		this.size = this.objectSize;
	}

	override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
		if (length === 0) return new Uint8Array(0);
		const object = await this.bucket.get(this.key, { range: { offset: index, length } });
		if (!object) throw new Error(`${this.key} is gone from the bucket`);
		return new Uint8Array(await object.arrayBuffer());
	}
}

export class ArchiveError extends Error {}

export interface OpenArchive {
	entries: Map<string, FileEntry>;
	close(): Promise<void>;
}

/** Opens the zip at `key`; throws ArchiveError when it is missing or not a zip. */
export async function openArchive(bucket: R2Bucket, key: string): Promise<OpenArchive> {
	const head = await bucket.head(key);
	if (!head) throw new ArchiveError("The uploaded archive is missing");
	const reader = new ZipReader(new R2RangeReader(bucket, key, head.size), { useWebWorkers: false });
	let list: Entry[];
	try {
		list = await reader.getEntries();
	} catch (error) {
		throw new ArchiveError(`The file is not a zip archive (${(error as Error).message})`);
	}
	const entries = new Map<string, FileEntry>();
	for (const entry of list) if (!entry.directory) entries.set(entry.filename.replace(/^\/+/, ""), entry as FileEntry);
	return { entries, close: () => reader.close() };
}

/** An entry's bytes as a stream of known length, ready for an R2 put. */
export function entryStream(entry: FileEntry): ReadableStream<Uint8Array> {
	const { readable, writable } = new FixedLengthStream(entry.uncompressedSize);
	entry.getData({ writable }).catch(() => undefined);
	return readable;
}

export async function entryText(entry: FileEntry): Promise<string> {
	const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
	const done = entry.getData({ writable });
	const text = await new Response(readable).text();
	await done;
	return text;
}
