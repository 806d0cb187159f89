import {
	configure,
	type EntryMetaData,
	type ReadableReader,
	TextReader,
	Uint8ArrayReader,
	ZipWriter,
} from "@zip.js/zip.js/lib/zip-core-custom.js";

/**
 * Writing one zip file across many queue messages. zip.js writes every local
 * header, entry and central-directory record; it supports writing a part of
 * a zip that the caller assembles (the `offset` option, here as the writer's
 * starting size). Each step writes its entries as one segment and keeps the
 * central-directory records zip.js made for them; the last step puts the
 * records together and closes the file with the end record. Workers have
 * CompressionStream natively, so no codec is bundled and no worker started.
 */
configure({ useWebWorkers: false, useCompressionStream: true });

export interface ZipInput {
	name: string;
	data: string | Uint8Array | ReadableStream<Uint8Array>;
	/** Store without compression: media files are compressed already. */
	store?: boolean;
	lastModified?: Date;
}

export interface ZipSegment {
	/** The local headers and data of the entries, to be placed at `offset` in the file. */
	bytes: Uint8Array;
	/** Their central-directory records (offsets already absolute). */
	directory: Uint8Array;
	entries: number;
}

class Collector {
	readonly chunks: Uint8Array[] = [];
	length = 0;
	size: number;
	readonly writable: WritableStream<Uint8Array>;
	constructor(offset: number) {
		this.size = offset;
		this.writable = new WritableStream({
			write: (chunk) => {
				this.chunks.push(chunk);
				this.length += chunk.byteLength;
			},
		});
	}
	take(length: number): Uint8Array {
		const out = new Uint8Array(length);
		let at = 0;
		for (const chunk of this.chunks) {
			if (at >= length) break;
			const part = chunk.subarray(0, Math.min(chunk.byteLength, length - at));
			out.set(part, at);
			at += part.byteLength;
		}
		return out;
	}
}

function reader(data: ZipInput["data"]): TextReader | Uint8ArrayReader | ReadableReader {
	if (typeof data === "string") return new TextReader(data);
	if (data instanceof Uint8Array) return new Uint8ArrayReader(data);
	return { readable: data };
}

/** Writes `inputs` as the part of a zip that starts `offset` bytes into the file. */
export async function writeZipSegment(inputs: ZipInput[], offset: number): Promise<ZipSegment> {
	const out = new Collector(offset);
	const writer = new ZipWriter(out, { keepOrder: true, useWebWorkers: false });
	const written: EntryMetaData[] = [];
	for (const input of inputs) {
		written.push(
			await writer.add(input.name, reader(input.data), {
				level: input.store ? 0 : 6,
				lastModDate: input.lastModified,
			}),
		);
	}
	const entriesLength = out.length;
	let directory = new Uint8Array(0);
	await writer.close(undefined, {
		// The records zip.js writes for these entries; what follows them here (this part's own end record) is dropped.
		signCentralDirectory: (records) => {
			directory = records.slice();
			return new Uint8Array(0);
		},
	});
	return { bytes: out.take(entriesLength), directory, entries: written.length };
}

const MAX_16 = 0xffff;
const MAX_32 = 0xffffffff;

/**
 * The end of central directory record (with its Zip64 record and locator
 * when counts or offsets do not fit), closing a file whose central directory
 * of `entries` records and `directorySize` bytes starts at `directoryOffset`.
 */
export function endOfCentralDirectory(entries: number, directorySize: number, directoryOffset: number): Uint8Array {
	const zip64 = entries >= MAX_16 || directorySize >= MAX_32 || directoryOffset >= MAX_32;
	const out = new Uint8Array((zip64 ? 56 + 20 : 0) + 22);
	const view = new DataView(out.buffer);
	let at = 0;
	if (zip64) {
		view.setUint32(at, 0x06064b50, true);
		view.setBigUint64(at + 4, 44n, true);
		view.setUint16(at + 12, 45, true);
		view.setUint16(at + 14, 45, true);
		view.setUint32(at + 16, 0, true);
		view.setUint32(at + 20, 0, true);
		view.setBigUint64(at + 24, BigInt(entries), true);
		view.setBigUint64(at + 32, BigInt(entries), true);
		view.setBigUint64(at + 40, BigInt(directorySize), true);
		view.setBigUint64(at + 48, BigInt(directoryOffset), true);
		at += 56;
		view.setUint32(at, 0x07064b50, true);
		view.setUint32(at + 4, 0, true);
		view.setBigUint64(at + 8, BigInt(directoryOffset + directorySize), true);
		view.setUint32(at + 16, 1, true);
		at += 20;
	}
	view.setUint32(at, 0x06054b50, true);
	view.setUint16(at + 8, Math.min(entries, MAX_16), true);
	view.setUint16(at + 10, Math.min(entries, MAX_16), true);
	view.setUint32(at + 12, Math.min(directorySize, MAX_32), true);
	view.setUint32(at + 16, Math.min(directoryOffset, MAX_32), true);
	return out;
}
