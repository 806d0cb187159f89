// The streaming API's cost: a local post whose author has followers with and
// without open streams, measured per delivered event (CPU of the Worker and
// its Durable Objects, which share the workerd process here, and Durable
// Object requests, which the objects log under BENCH_STATS), and open but
// idle connections, measured per hour.
import { json, send } from "../lib/http.mjs";
import { median, round, sleep } from "../lib/stats.mjs";

const MAX_FOLLOWING_LISTENERS = 10;
const MAX_PUBLIC_LISTENERS = 2;

/** The accounts this scenario uses, away from the ones other scenarios rely on (hub, locked, unlocked). */
function cast(ctx) {
	const locals = ctx.data.locals.slice(3);
	const author = locals[locals.length - 1];
	const rest = locals.slice(0, -1);
	const following = rest.slice(0, MAX_FOLLOWING_LISTENERS);
	const publicOnly = rest.slice(following.length, following.length + MAX_PUBLIC_LISTENERS);
	return { author, following, publicOnly };
}

/** A streaming client as the apps open it: token as the subprotocol, one subscription in the URL. */
function listen(ctx, local, stream) {
	const origin = ctx.worker.origin.replace("http", "ws");
	const ws = new WebSocket(`${origin}/api/v1/streaming?stream=${stream}`, [local.token]);
	const listener = {
		ws,
		updates: new Map(),
		open: new Promise((resolve, reject) => {
			ws.addEventListener("open", resolve, { once: true });
			ws.addEventListener("error", reject, { once: true });
		}),
	};
	ws.addEventListener("message", (event) => {
		const message = JSON.parse(String(event.data));
		if (message.event === "update") listener.updates.set(JSON.parse(message.payload).id, performance.now());
	});
	return listener;
}

async function waitForAll(listeners, statusId, timeoutMs = 10_000) {
	const deadline = performance.now() + timeoutMs;
	while (!listeners.every((l) => l.updates.has(statusId))) {
		if (performance.now() > deadline) return false;
		await sleep(2);
	}
	return true;
}

/**
 * An object's entry point as it logs it under BENCH_STATS (`tern-do op=…; queries=…; id=…`),
 * once per id: workerd may hand the bench a log line of a Durable Object twice.
 */
function objectLine(line, seen) {
	const match =
		/^tern-do op=([^;]+); queries=(\d+);(?: round_trips=\d+;)? rows_read=(\d+); rows_written=(\d+); id=(\S+)/.exec(
			line,
		);
	if (!match || seen.has(match[5])) return null;
	seen.add(match[5]);
	return { op: match[1], queries: Number(match[2]), rowsRead: Number(match[3]) };
}

/** Counts the objects' entry points the Worker logs while `work` runs. */
async function countObjectRequests(ctx, work) {
	const ops = [];
	const seen = new Set();
	const stop = ctx.worker.onLine((line) => {
		const op = objectLine(line, seen);
		if (op) ops.push(op);
	});
	try {
		const value = await work();
		await sleep(50);
		return { value, ops };
	} finally {
		stop();
	}
}

function post(ctx, i, label) {
	const { author } = cast(ctx);
	return {
		method: "POST",
		path: "/api/v1/statuses",
		headers: {
			Authorization: `Bearer ${author.token}`,
			"Content-Type": "application/json",
			"Idempotency-Key": `bench-${label}-${ctx.runId}-${i}`,
		},
		body: JSON.stringify({ status: `Streaming benchmark ${label} ${i}`, visibility: "public" }),
	};
}

/** Each follower follows the author through the API, as a member would. */
async function followAuthor(ctx) {
	const { author, following } = cast(ctx);
	if (!author || following.length === 0) return "needs at least five local accounts";
	for (const local of following) {
		const response = await send(ctx.worker.origin, {
			method: "POST",
			path: `/api/v1/accounts/${author.id}/follow`,
			headers: { Authorization: `Bearer ${local.token}` },
		});
		if (response.status !== 200) return `follow answered ${response.status}`;
	}
	return null;
}

/** The same post with every follower offline: what fan-out costs when nobody listens. */
export const streamQuiet = {
	name: "stream-post-quiet",
	title: "POST /api/v1/statuses, followers not streaming",
	kind: "write",
	prepare: followAuthor,
	request: (ctx, i) => {
		ctx.stream ??= {};
		ctx.stream.quietStart = ctx.worker.cpuNs();
		return post(ctx, i, "quiet");
	},
	expect: [200],
	async after(ctx) {
		await sleep(20);
		ctx.stream.quietCpu ??= [];
		ctx.stream.quietCpu.push((ctx.worker.cpuNs() - ctx.stream.quietStart) / 1e6);
	},
};

/** Followers and public-timeline readers streaming: each post is an event per connection. */
export const streamLive = {
	name: "stream-post-live",
	title: "POST /api/v1/statuses, followers streaming",
	kind: "write",
	async prepare(ctx) {
		const { following, publicOnly } = cast(ctx);
		ctx.stream ??= {};
		const baselineStart = ctx.worker.cpuNs();
		await sleep((ctx.data.locals.length > 10 ? 60 : 5) * 1000);
		ctx.stream.baselineIdleNs = ctx.worker.cpuNs() - baselineStart;
		const listeners = [
			...following.map((local) => listen(ctx, local, "user")),
			...publicOnly.map((local) => listen(ctx, local, "public:local")),
		];
		try {
			await Promise.all(listeners.map((l) => l.open));
		} catch {
			return "the streaming endpoint did not accept a WebSocket";
		}
		ctx.stream.listeners = listeners;
		// Subscriptions are recorded before the upgrade answers; one post shows every one of them works.
		const probe = json(await send(ctx.worker.origin, post(ctx, 0, "probe")));
		if (!(await waitForAll(listeners, probe?.id))) return "a listener did not get the probe post";

		// Idle: the sockets stay open and nothing happens. Hibernation means no object runs; what
		// workerd spends holding the sockets is the difference with the same wait before they opened.
		const seconds = ctx.data.locals.length > 10 ? 60 : 5;
		const idleStart = ctx.worker.cpuNs();
		const idle = await countObjectRequests(ctx, () => sleep(seconds * 1000));
		const idleCpuMs = Math.max(0, (ctx.worker.cpuNs() - idleStart - ctx.stream.baselineIdleNs) / 1e6);
		ctx.stream.idle = {
			connections: listeners.length,
			seconds,
			objectRequests: idle.ops.length,
			cpuMsPerConnectionHour: round((idleCpuMs / listeners.length) * (3600 / seconds), 3),
			objectRequestsPerConnectionHour: round((idle.ops.length / listeners.length) * (3600 / seconds), 2),
		};
		return null;
	},
	request: (ctx, i) => {
		ctx.stream.liveStart = ctx.worker.cpuNs();
		ctx.stream.liveSent = performance.now();
		ctx.stream.liveOps = [];
		const seen = new Set();
		// The runner also builds a request it never measures (the missing-route probe, without `after`):
		// its listener must not stay and count the next windows' lines again.
		ctx.stream.stopOps?.();
		ctx.stream.stopOps = ctx.worker.onLine((line) => {
			const op = objectLine(line, seen);
			if (op) ctx.stream.liveOps.push(op);
		});
		return post(ctx, i, "live");
	},
	expect: [200],
	async after(ctx, _i, response) {
		const status = json(response);
		const arrived = await waitForAll(ctx.stream.listeners, status?.id);
		await sleep(20);
		ctx.stream.stopOps();
		const s = ctx.stream;
		s.liveCpu ??= [];
		s.latencies ??= [];
		s.objectRequests ??= [];
		s.objectQueries ??= [];
		s.missed = (s.missed ?? 0) + (arrived ? 0 : 1);
		s.liveCpu.push((ctx.worker.cpuNs() - s.liveStart) / 1e6);
		for (const listener of s.listeners) {
			const at = listener.updates.get(status?.id);
			if (at !== undefined) s.latencies.push(at - s.liveSent);
		}
		s.objectRequests.push(s.liveOps.length);
		s.opNames ??= {};
		for (const op of s.liveOps) s.opNames[op.op] = (s.opNames[op.op] ?? 0) + 1;
		s.objectQueries.push(s.liveOps.reduce((sum, op) => sum + op.queries, 0));
	},
	summarize(ctx) {
		const s = ctx.stream;
		const events = s.listeners.length;
		const quiet = median(s.quietCpu ?? []);
		const live = median(s.liveCpu ?? []);
		for (const listener of s.listeners) listener.ws.close();
		return {
			streaming: {
				eventsPerPost: events,
				missedPosts: s.missed ?? 0,
				cpuMsPerPostQuiet: round(quiet, 3),
				cpuMsPerPostLive: round(live, 3),
				cpuMsPerDeliveredEvent: round(Math.max(0, live - quiet) / events, 3),
				objectRequestsPerDeliveredEvent: round(median(s.objectRequests) / events, 3),
				objectD1QueriesPerPost: median(s.objectQueries),
				objectRequestsByKind: s.opNames,
				deliveryMsMedian: round(median(s.latencies), 2),
				deliveryMsMax: round(Math.max(...s.latencies), 2),
				idle: s.idle,
			},
		};
	},
};
