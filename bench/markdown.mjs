// Prints bench/results.json (or the file given) as the Markdown tables of docs/performance.md.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const round2 = (n) => Math.round(n * 100) / 100;
const queueOperations = (s) => {
	const ops = (u = {}) => (u.queue_writes ?? 0) + (u.queue_reads ?? 0) + (u.queue_deletes ?? 0);
	return round2(ops(s.usagePerRequest) + ops(s.queue?.usagePerRequest));
};
const path = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "results.json");
const report = JSON.parse(readFileSync(path, "utf8"));
const out = [];
const row = (cells) =>
	out.push(`| ${cells.map((c) => (c === null || c === undefined ? "–" : String(c))).join(" | ")} |`);

const m = report.machine;
const d = report.dataset;
out.push(
	`Taken ${report.takenAt} (${report.mode} run, ${report.durationSeconds} s) on ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB memory, load average at the end ${m.loadAverage}, ${m.node}.`,
	"",
	`Dataset: ${d.localAccounts} local and ${d.remoteAccounts} remote accounts on ${d.remoteDomains} domains, ${d.statuses} statuses; the posting account has ${d.hubFollowers} followers behind ${d.hubFollowerInboxes} shared inboxes and ${d.hubHomeFeedRows} home feed rows.`,
	"",
	"Per request (CPU in ms: `cpu` is the Worker's whole workerd process, `wkr` the Worker's own CPU the budgets use; D1 statements, round trips and rows as median/max):",
	"",
);
row([
	"Scenario",
	"cpu median",
	"cpu p99",
	"wkr median",
	"wkr p99",
	"wall median",
	"wall p99",
	"statements",
	"round trips",
	"rows read",
	"rows written",
	"req/s at 16",
]);
row(["---", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"]);
for (const s of report.scenarios) {
	row([
		`${s.title} (\`${s.name}\`)`,
		s.cpuMs.median,
		s.cpuMs.p99,
		s.cpuWorkerMs.median,
		s.cpuWorkerMs.p99,
		s.wallMs.median,
		s.wallMs.p99,
		`${s.d1.queries.median}/${s.d1.queries.max}`,
		`${s.d1.roundTrips?.median}/${s.d1.roundTrips?.max}`,
		`${s.d1.rowsRead.median}/${s.d1.rowsRead.max}`,
		`${s.d1.rowsWritten.median}/${s.d1.rowsWritten.max}`,
		s.throughput?.requestsPerSecond,
	]);
}
const queued = report.scenarios.filter((s) => s.queue);
if (queued.length > 0) {
	out.push("", "Queue work caused by one request (CPU in ms; D1 per consumer invocation as median/max):", "");
	row([
		"Scenario",
		"invocations",
		"messages",
		"cpu median",
		"cpu p99",
		"wkr per invocation",
		"queue operations",
		"statements",
		"rows read",
		"rows written",
	]);
	row(["---", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"]);
	for (const s of queued) {
		const q = s.queue;
		row([
			`\`${s.name}\``,
			q.invocationsPerRequest,
			q.messagesPerRequest,
			q.cpuMsPerRequest.median,
			q.cpuMsPerRequest.p99,
			q.cpuWorkerMsPerInvocation?.median,
			queueOperations(s),
			`${q.d1PerInvocation.queries.median}/${q.d1PerInvocation.queries.max}`,
			`${q.d1PerInvocation.rowsRead.median}/${q.d1PerInvocation.rowsRead.max}`,
			`${q.d1PerInvocation.rowsWritten.median}/${q.d1PerInvocation.rowsWritten.max}`,
		]);
	}
}
const delivery = report.scenarios.find((s) => s.delivery)?.delivery;
if (delivery) {
	out.push(
		"",
		`Delivery of one post to ${delivery.followers} followers: ${delivery.deliveriesPerPost} deliveries per post reaching ${delivery.inboxesReachedMin}–${delivery.inboxesReachedMax} inboxes (expected ${delivery.expectedInboxes}), ${delivery.deliveriesPerSecond} deliveries/s to the loopback peers, all arrived after ${delivery.secondsUntilAllArrivedMedian} s (median of ${delivery.posts} posts).`,
	);
}
if (report.skipped.length > 0) {
	out.push(
		"",
		`Not measured (endpoint not built in this checkout): ${report.skipped.map((s) => `\`${s.name}\``).join(", ")}.`,
	);
}
const usage = report.scenarios.filter((s) => Object.keys(s.usagePerRequest ?? {}).length > 0 || s.queue);
if (usage.length > 0) {
	out.push(
		"",
		"Billed operations per request besides D1, as the Worker counted them (the request and the queue work it caused):",
		"",
	);
	row(["Scenario", "queue operations", "R2 Class A", "R2 Class B", "Images transformations"]);
	row(["---", "--:", "--:", "--:", "--:"]);
	for (const s of usage) {
		const both = (key) => round2((s.usagePerRequest?.[key] ?? 0) + (s.queue?.usagePerRequest?.[key] ?? 0));
		const cells = [queueOperations(s), both("r2_class_a"), both("r2_class_b"), both("images_transformations")];
		if (cells.every((n) => n === 0)) continue;
		row([`\`${s.name}\``, queueOperations(s), both("r2_class_a"), both("r2_class_b"), both("images_transformations")]);
	}
}
const cal = report.calibration;
const c = report.crypto;
out.push(
	"",
	`Calibration (what the local setup costs the Worker's process, in the same run): an empty request ${cal.emptyRequestMs} ms; per call a D1 round trip ${cal.d1RoundTripMs} ms, an R2 write ${cal.r2PutMs} ms, an R2 read ${cal.r2GetMs} ms, a queue send ${cal.queueSendMs} ms, a Cloudflare Images call ${cal.imagesCallMs} ms; a queue invocation ${cal.queueInvocationMs} ms; ${Math.round(cal.waitRate * 1000)} µs per millisecond a request waits.`,
	"",
	`Known workload (${cal.known.units} units of pure JavaScript; ${cal.known.queries} D1 queries added): alone ${cal.known.aloneMs} ms; the Worker estimate with ${cal.known.queries} heavy queries ${cal.known.withHeavyQueriesMs} ms, wide ${cal.known.withWideQueriesMs} ms, trivial ${cal.known.withTrivialQueriesMs} ms. With D1 in the same process as before, the process spent ${cal.known.inProcessCpuWithHeavyQueriesMs} ms and the old estimate said ${cal.known.inProcessEstimateWithHeavyQueriesMs} ms.`,
	"",
	`Crypto in workerd: RSA-2048 key generation ${c.rsa2048KeygenMs} ms, Ed25519 ${c.ed25519KeygenMs} ms; PBKDF2-HMAC-SHA256 50,000 iterations ${c.pbkdf2Sha256Per50kMs} ms, 100,000 ${c.pbkdf2Sha256Per100kMs} ms, 600,000 ${c.pbkdf2Sha256Per600kMs} ms; a new password's whole chain ${c.pbkdf2PasswordHashMs} ms. Blurhash of a 32-pixel thumbnail (decode and hash): ${cal.media?.hashThumbnailMs} ms. Bundle: ${report.bundle.gzipKiB} KiB gzip (${report.bundle.bytes} bytes).`,
);
const ratios = report.standingRatios;
if (ratios) {
	out.push(
		"",
		`Standing ratios to the fixed workload (${ratios.referenceMs} ms): verify_credentials ${ratios.verifyCredentials}, home page ${ratios.homeFirst}; home page / verify_credentials ${ratios.homeToVerify}.`,
	);
}
out.push("", "Budgets:", "");
row(["Verdict", "Check", "Measured", "Budget"]);
row(["---", "---", "---", "---"]);
for (const b of report.budgets) row([b.verdict, b.name, b.actual, b.budget]);
console.log(out.join("\n"));
