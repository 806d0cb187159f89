import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { runJob } from "../../src/queues/jobs";
import type { JobMessage } from "../../src/queues/messages";
import { db } from "./users";

/** Keeps jobs for the test to run, instead of the local queue running them at some moment. */
export function captureJobs(): JobMessage[] {
	const sent: JobMessage[] = [];
	vi.spyOn(env.JOBS_QUEUE, "send").mockImplementation(async (body) => {
		sent.push(body as JobMessage);
		return undefined as never;
	});
	return sent;
}

/** Runs captured jobs, and the jobs they queue, until none are left (or `limit` have run). */
export async function drainJobs(jobs: JobMessage[], limit = 2000): Promise<number> {
	let ran = 0;
	while (jobs.length > 0) {
		if (ran >= limit) throw new Error(`Still ${jobs.length} jobs after ${limit}: ${JSON.stringify(jobs[0])}`);
		const job = jobs.shift() as JobMessage;
		await runJob(job, { env, exec: {} as ExecutionContext, db: db() });
		ran++;
	}
	return ran;
}
