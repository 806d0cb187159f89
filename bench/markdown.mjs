// Prints bench/results.json (or the file given) as the Markdown tables of docs/performance.md.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
	"Per request (CPU in ms; `wkr` is the Worker estimate the budgets use; D1 as median/max):",
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
	"queries",
	"rows read",
	"rows written",
	"req/s at 16",
]);
row(["---", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"]);
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
		"queries",
		"rows read",
		"rows written",
	]);
	row(["---", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"]);
	for (const s of queued) {
		const q = s.queue;
		row([
			`\`${s.name}\``,
			q.invocationsPerRequest,
			q.messagesPerRequest,
			q.cpuMsPerRequest.median,
			q.cpuMsPerRequest.p99,
			q.cpuWorkerMsPerInvocation?.median,
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
const c = report.crypto;
out.push(
	"",
	`Measured once in workerd (bench/crypto-worker): RSA-2048 key generation ${c.rsa2048KeygenMs} ms, Ed25519 key generation ${c.ed25519KeygenMs} ms, PBKDF2 password hash ${c.pbkdf2PasswordHashMs} ms; calibration: empty request ${c.emptyRequestMs} ms, one local D1 query ${c.d1QueryMs} ms. Bundle: ${report.bundle.gzipKiB} KiB gzip (${report.bundle.bytes} bytes).`,
	"",
	"Budgets:",
	"",
);
row(["Verdict", "Check", "Measured", "Budget"]);
row(["---", "---", "---", "---"]);
for (const b of report.budgets) row([b.verdict, b.name, b.actual, b.budget]);
console.log(out.join("\n"));
