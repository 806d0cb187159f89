// The table printed at the end of a run.
function pad(value, width, right = false) {
	const text = value === null || value === undefined ? "-" : String(value);
	return right ? text.padStart(width) : text.padEnd(width);
}

export function printReport(report, { verdict }) {
	const m = report.machine;
	console.log(`\nTern benchmark (${report.mode}) — ${report.takenAt}`);
	console.log(`Machine: ${m.nproc} CPUs, ${m.cpuModel}, ${m.memoryGiB} GiB, load ${m.loadAverage}, Node ${m.node}`);
	const d = report.dataset;
	console.log(
		`Dataset: ${d.localAccounts} local / ${d.remoteAccounts} remote accounts on ${d.remoteDomains} domains, ${d.statuses} statuses, hub: ${d.hubFollowers} followers (${d.hubFollowerInboxes} inboxes), ${d.hubHomeFeedRows} home feed rows`,
	);
	console.log(
		"cpu = all CPU of the Worker's workerd process per operation (ms); D1, R2 and queues run in another process;",
	);
	console.log("wkr = the Worker's own CPU: cpu minus an empty request and the local plumbing of each binding call.\n");
	const header = [
		pad("scenario", 24),
		pad("cpu med", 8, true),
		pad("cpu p99", 8, true),
		pad("wkr med", 8, true),
		pad("wkr p99", 8, true),
		pad("wall med", 9, true),
		pad("wall p99", 9, true),
		pad("queries", 8, true),
		pad("rows rd", 8, true),
		pad("rows wr", 8, true),
		pad("req/s@16", 9, true),
		pad("status", 12, true),
	].join(" ");
	console.log(header);
	console.log("-".repeat(header.length));
	for (const s of report.scenarios) {
		console.log(
			[
				pad(s.name, 24),
				pad(s.cpuMs.median, 8, true),
				pad(s.cpuMs.p99, 8, true),
				pad(s.cpuWorkerMs?.median, 8, true),
				pad(s.cpuWorkerMs?.p99, 8, true),
				pad(s.wallMs.median, 9, true),
				pad(s.wallMs.p99, 9, true),
				pad(`${s.d1.queries.median}/${s.d1.queries.max}`, 8, true),
				pad(s.d1.rowsRead.median, 8, true),
				pad(s.d1.rowsWritten.median, 8, true),
				pad(s.throughput?.requestsPerSecond, 9, true),
				pad(
					Object.entries(s.statuses)
						.map(([k, v]) => `${k}×${v}`)
						.join(","),
					12,
					true,
				),
			].join(" "),
		);
		if (s.queue) {
			const q = s.queue;
			console.log(
				`  └ queue: cpu ${q.cpuMsPerRequest.median}/${q.cpuMsPerRequest.p99} ms per request (Worker estimate ${q.cpuWorkerMsPerInvocation?.median}/${q.cpuWorkerMsPerInvocation?.p99} ms per invocation), ${q.invocationsPerRequest} invocations and ${q.messagesPerRequest} messages per request, D1 per invocation ${q.d1PerInvocation.queries.median}/${q.d1PerInvocation.queries.max} queries, ${q.d1PerInvocation.rowsRead.median} rows read, ${q.d1PerInvocation.rowsWritten.median} written${q.timeouts ? `, ${q.timeouts} timed out` : ""}`,
			);
		}
		if (s.background) {
			const b = s.background;
			console.log(
				`  └ per request with its background work: ${b.queueOpsPerRequest.mean} queue operations (${b.queueOpsCounted}), ${b.consumerInvocationsPerRequest} consumer invocations, ${b.waitUntilTasksPerRequest} waitUntil tasks, D1 rows written ${b.rowsWrittenPerRequest.median} (background ${b.backgroundRowsWrittenPerRequest.median}), read ${b.rowsReadPerRequest.median}`,
			);
		}
		if (s.streaming) {
			const x = s.streaming;
			console.log(
				`  └ streaming: ${x.eventsPerPost} events/post, ${x.cpuMsPerDeliveredEvent} ms CPU and ${x.objectRequestsPerDeliveredEvent} object requests per event, ${x.objectD1QueriesPerPost} object D1 queries per post, delivered ${x.deliveryMsMedian}/${x.deliveryMsMax} ms (median/max), ${x.missedPosts} posts missed; idle: ${x.idle?.objectRequestsPerConnectionHour} object requests per connection-hour`,
			);
		}
		if (s.delivery) {
			const x = s.delivery;
			console.log(
				`  └ delivery: ${x.deliveriesPerPost} deliveries/post to ${x.inboxesReachedMin}..${x.inboxesReachedMax} inboxes (expected ${x.expectedInboxes}), ${x.deliveriesPerSecond} deliveries/s, all arrived after ${x.secondsUntilAllArrivedMedian} s`,
			);
		}
	}
	for (const s of report.skipped) console.log(`${pad(s.name, 24)} skipped: ${s.reason}`);
	const cal = report.calibration;
	if (cal) {
		console.log(
			`\nCalibration: empty request ${cal.emptyRequestMs} ms; per call: D1 round trip ${cal.d1RoundTripMs} ms, R2 put ${cal.r2PutMs} ms, R2 get ${cal.r2GetMs} ms, queue send ${cal.queueSendMs} ms, Images call ${cal.imagesCallMs} ms; queue invocation ${cal.queueInvocationMs} ms (an in-process D1 query: ${cal.inProcessD1QueryMs} ms)`,
		);
		const k = cal.known;
		console.log(
			`Known workload (${k.units} units of JavaScript, ${k.queries} queries): alone ${k.aloneMs} ms; Worker estimate with heavy queries ${k.withHeavyQueriesMs} ms, wide ${k.withWideQueriesMs} ms, trivial ${k.withTrivialQueriesMs} ms; in-process D1 (previous method): cpu ${k.inProcessCpuWithHeavyQueriesMs} ms, estimate ${k.inProcessEstimateWithHeavyQueriesMs} ms`,
		);
	}
	const c = report.crypto;
	if (c) {
		console.log(
			`Crypto in workerd: RSA-2048 keygen ${c.rsa2048KeygenMs} ms, Ed25519 keygen ${c.ed25519KeygenMs} ms, password hash ${c.pbkdf2PasswordHashMs} ms; PBKDF2-SHA256 50k ${c.pbkdf2Sha256Per50kMs} ms, 100k ${c.pbkdf2Sha256Per100kMs} ms, 600k ${c.pbkdf2Sha256Per600kMs} ms`,
		);
	}
	if (report.bundle) console.log(`Bundle: ${report.bundle.bytes} bytes, ${report.bundle.gzipKiB} KiB gzip`);
	const r = report.standingRatios;
	if (r) {
		console.log(
			`Standing ratios to the fixed workload (${r.referenceMs} ms): verify_credentials ${r.verifyCredentials}, home page ${r.homeFirst} (home / verify ${r.homeToVerify})`,
		);
	}
	if (!verdict) return;
	console.log("\nBudgets:");
	for (const b of report.budgets) {
		console.log(`  ${pad(b.verdict, 4)}  ${pad(b.name, 58)} ${pad(b.actual, 24)} budget ${b.budget}`);
	}
}
