// CPU accounting of the workerd process that runs the Worker, read from /proc.
import { readdirSync, readFileSync } from "node:fs";

function parentOf(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		// The command name may hold spaces and parentheses: fields start after the last ")".
		return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
	} catch {
		return -1;
	}
}

function commandLine(pid) {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
	} catch {
		return "";
	}
}

export function descendants(root) {
	const pids = readdirSync("/proc")
		.filter((name) => /^\d+$/.test(name))
		.map(Number);
	const children = new Map();
	for (const pid of pids) {
		const parent = parentOf(pid);
		if (!children.has(parent)) children.set(parent, []);
		children.get(parent).push(pid);
	}
	const found = [];
	const queue = [root];
	while (queue.length > 0) {
		const pid = queue.shift();
		for (const child of children.get(pid) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}
	return found;
}

/**
 * wrangler dev runs two workerd processes: a proxy that owns the public port
 * and forwards to the one running the Worker (with its D1, Queues and R2
 * simulators). The second is the one measured.
 */
export function findWorkerPid(root, port) {
	const workerds = descendants(root).filter((pid) => /\/workerd\s+serve\b/.test(commandLine(pid)));
	const ownsPort = new RegExp(`entry=[^ ]*:${port}(\\s|$)`);
	const worker = workerds.filter((pid) => !ownsPort.test(commandLine(pid)));
	return { worker: worker.at(-1), proxy: workerds.find((pid) => !worker.includes(pid)) };
}

/**
 * CPU time of every thread of `pid` in nanoseconds. schedstat has nanosecond
 * resolution; utime+stime in /proc/<pid>/stat count 10 ms ticks, too coarse
 * for one request (it is still read as a cross-check of the totals).
 */
export function cpuNs(pid) {
	let total = 0;
	for (const task of readdirSync(`/proc/${pid}/task`)) {
		try {
			total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
		} catch {
			// The thread ended between the listing and the read.
		}
	}
	return total;
}

const TICKS_PER_SECOND = 100;

/** utime+stime of the process in milliseconds (10 ms resolution). */
export function cpuTicksMs(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** The Worker's workerd, once wrangler has started it (it may restart it once while starting). */
export async function waitForWorkerPid(root, port) {
	let previous;
	for (let i = 0; i < 60; i++) {
		const found = findWorkerPid(root, port);
		if (found.worker && found.worker === previous) return found;
		previous = found.worker;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error("Could not find the workerd process running the Worker");
}
