// Budgets of issue 15's "Make the Free plan last" goals that concern queues,
// inbound writes and delivery (see docs/performance.md, "Nothing lost, and
// the Free plan's queue and D1 quotas").
import { round } from "./stats.mjs";

export const DURABLE_BUDGETS = {
	/** A post to 1,000 followers behind 200 shared inboxes. */
	queueOpsPerPost: 60,
	/** Inbound activities, averaged over the inbox scenarios. */
	queueOpsPerInbound: 0.3,
	/** An inbound public post: this much plus one per local home feed it lands in (one here: the hub's). */
	rowsWrittenPerInboundPost: 10,
	deliveryCpuPerInboxMs: 2,
	notificationsPageRows: 80,
};

const INBOUND = ["inbox-create", "inbox-create-followed", "inbox-follow-unlocked", "inbox-follow-locked"];

/**
 * Worker CPU per delivered inbox: the post's background work per inbox, whole
 * (all of workerd) and as the Worker's own (each consumer invocation's
 * estimate, which leaves out the local plumbing of its binding calls).
 */
export function deliveryCpuPerInbox(scenario) {
	const q = scenario.queue;
	const inboxes = scenario.delivery?.expectedInboxes;
	const perInvocation = q?.cpuWorkerMsPerInvocation?.median;
	if (!q || !inboxes || perInvocation === undefined) return null;
	return {
		cpuMs: round(q.cpuMsPerRequest.median / inboxes, 3),
		workerMs: round((q.invocationsPerRequest * perInvocation) / inboxes, 3),
	};
}

export function durableBudgets(report, check) {
	const byName = new Map(report.scenarios.map((s) => [s.name, s]));
	const post = byName.get("post-status");
	if (post?.background) {
		const ops = post.background.queueOpsPerRequest.mean;
		check(
			"post-status: queue operations per post",
			`≤ ${DURABLE_BUDGETS.queueOpsPerPost}`,
			ops,
			ops <= DURABLE_BUDGETS.queueOpsPerPost,
		);
	}
	const perInbox = post ? deliveryCpuPerInbox(post) : null;
	if (perInbox) {
		check(
			"post-status: delivery CPU per inbox (Worker estimate)",
			`≤ ${DURABLE_BUDGETS.deliveryCpuPerInboxMs} ms`,
			`${perInbox.workerMs} ms (${perInbox.cpuMs} ms all workerd)`,
			perInbox.workerMs <= DURABLE_BUDGETS.deliveryCpuPerInboxMs,
		);
	}
	const inbound = INBOUND.map((name) => byName.get(name)?.background).filter(Boolean);
	if (inbound.length > 0) {
		const average = round(inbound.reduce((s, b) => s + b.queueOpsPerRequest.mean, 0) / inbound.length, 3);
		check(
			"inbound activities: queue operations each (mean of the inbox scenarios)",
			`≤ ${DURABLE_BUDGETS.queueOpsPerInbound}`,
			average,
			average <= DURABLE_BUDGETS.queueOpsPerInbound,
		);
	}
	const home = byName.get("inbox-create-followed")?.background;
	if (home) {
		const budget = DURABLE_BUDGETS.rowsWrittenPerInboundPost + 1;
		check(
			"inbox-create-followed: D1 rows written per inbound public post",
			`≤ ${budget} (10 + 1 home feed)`,
			home.rowsWrittenPerRequest.median,
			home.rowsWrittenPerRequest.median <= budget,
		);
	}
	const notifications = byName.get("notifications");
	if (notifications) {
		check(
			"notifications: rows read per page",
			`≤ ${DURABLE_BUDGETS.notificationsPageRows}`,
			notifications.d1.rowsRead.max,
			notifications.d1.rowsRead.max <= DURABLE_BUDGETS.notificationsPageRows,
		);
	}
}
