import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

export const ROOT = resolve(import.meta.dirname, "..", "..");
const run = promisify(execFile);

export interface DevServer {
	url: string;
	state: string;
	/** What the dev script and wrangler printed so far. */
	output(): string;
	stop(): Promise<void>;
}

/**
 * Starts `npm run dev`'s script on `port` with its own state folder, and waits until it answers
 * (at most `timeoutMs`: keep it under the calling hook's timeout, so a failed start is cleaned up).
 */
export async function startDevServer(
	port: number,
	extraArgs: string[] = [],
	// Generous by default: on a machine shared with other work, bundling and workerd start can take minutes.
	{ timeoutMs = 240_000 }: { timeoutMs?: number } = {},
): Promise<DevServer> {
	const state = mkdtempSync(join(tmpdir(), "tern-state-"));
	const child: ChildProcess = spawn(
		process.execPath,
		["scripts/dev.mjs", "--port", String(port), "--state", state, ...extraArgs],
		{ cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, CI: "true" } },
	);
	let output = "";
	child.stdout?.on("data", (chunk) => {
		output += chunk;
	});
	child.stderr?.on("data", (chunk) => {
		output += chunk;
	});
	const url = `${extraArgs.includes("--https") ? "https" : "http"}://localhost:${port}`;
	// A failed start leaves nothing running behind it.
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const failure =
			child.exitCode !== null
				? `dev server exited early:\n${output}`
				: Date.now() > deadline
					? `dev server did not start:\n${output}`
					: undefined;
		if (failure) {
			if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
			rmSync(state, { recursive: true, force: true });
			throw new Error(failure);
		}
		try {
			await fetch(`${url}/avatars/original/missing.png`);
			break;
		} catch {
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	return {
		url,
		state,
		output: () => output,
		async stop() {
			if (child.pid && child.exitCode === null) {
				process.kill(-child.pid, "SIGTERM");
				await new Promise((r) => child.once("exit", r));
			}
			rmSync(state, { recursive: true, force: true });
		},
	};
}

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs the real `tern` binary, as `npx tern` would. */
export async function tern(args: string[]): Promise<CliResult> {
	try {
		const { stdout, stderr } = await run(process.execPath, ["bin/tern.mjs", ...args], { cwd: ROOT });
		return { code: 0, stdout, stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, stdout: e.stdout, stderr: e.stderr };
	}
}
