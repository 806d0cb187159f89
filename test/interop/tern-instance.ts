import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");

/** A Tern instance under `wrangler dev` (via scripts/dev.mjs) with its own state folder. */
export interface TernInstance {
	port: number;
	origin: string;
	state: string;
	logs: string[];
	stop(): Promise<void>;
	/** SIGKILL to the whole server (wrangler and workerd), as a crash would; the state folder stays. */
	kill(): Promise<void>;
	/** Runs the cron's handler once (needs `testScheduled`). */
	scheduled(): Promise<void>;
	createUser(
		username: string,
		options?: { role?: "admin" | "moderator"; scopes?: string },
	): Promise<{ username: string; token: string; uri: string; email: string; password: string }>;
	/** Runs `tern <args>` against the instance's state. */
	cli(...args: string[]): Promise<string>;
	/** Runs SQL on the instance's local D1 (test setup only). */
	sql(command: string): Promise<string>;
	api<T = Record<string, unknown>>(
		path: string,
		init?: RequestInit & { token?: string },
	): Promise<{ status: number; body: T }>;
}

async function waitUntilUp(origin: string, child: ChildProcess, logs: string[]): Promise<void> {
	// Minutes: migrations, bundling and workerd share a loaded 2-core machine.
	const deadline = Date.now() + 240_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`Tern exited early:\n${logs.join("")}`);
		try {
			const response = await fetch(`${origin}/.well-known/nodeinfo`);
			await response.arrayBuffer();
			if (response.status < 500) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`Tern did not start on ${origin}:\n${logs.join("")}`);
}

export async function startTern(
	port: number,
	options: { state?: string; testScheduled?: boolean } = {},
): Promise<TernInstance> {
	const state = options.state ?? mkdtempSync(join(tmpdir(), `tern-interop-${port}-`));
	const logs: string[] = [];
	const args = ["scripts/dev.mjs", "--port", String(port), "--state", state];
	if (options.testScheduled) args.push("--test-scheduled");
	const child = spawn(process.execPath, args, {
		cwd: root,
		stdio: ["ignore", "pipe", "pipe"],
		env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
		detached: true,
	});
	child.stdout?.on("data", (d) => logs.push(String(d)));
	child.stderr?.on("data", (d) => logs.push(String(d)));
	const origin = `http://localhost:${port}`;
	try {
		await waitUntilUp(origin, child, logs);
	} catch (error) {
		// Leave nothing listening behind a failed start: the next run needs the port.
		if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
		rmSync(state, { recursive: true, force: true });
		throw error;
	}

	const cli = async (...args: string[]) => {
		const { stdout } = await run(process.execPath, ["bin/tern.mjs", ...args, "--state", state], {
			cwd: root,
			env: { ...process.env, TERN_INSTANCE_DOMAIN: `localhost:${port}` },
		});
		return stdout.trim();
	};

	return {
		port,
		origin,
		state,
		logs,
		async stop() {
			if (child.pid && child.exitCode === null) {
				// The dev script's whole process group: wrangler and workerd under it.
				process.kill(-child.pid, "SIGTERM");
				await new Promise((r) => child.once("exit", r));
			}
			rmSync(state, { recursive: true, force: true });
		},
		async kill() {
			if (child.pid && child.exitCode === null) {
				const exited = new Promise((r) => child.once("exit", r));
				process.kill(-child.pid, "SIGKILL");
				await exited;
			}
		},
		async scheduled() {
			const response = await fetch(`${origin}/__scheduled?cron=${encodeURIComponent("*/10 * * * *")}`);
			await response.arrayBuffer();
			if (response.status !== 200) throw new Error(`/__scheduled answered ${response.status}`);
		},
		async createUser(username, options = {}) {
			const password = `pw-${username}-correct-horse`;
			const role = options.role ? [`--${options.role}`] : [];
			await cli("user", "create", username, "--email", `${username}@example.com`, "--password", password, ...role);
			const scopes = options.scopes ? ["--scopes", options.scopes] : [];
			const token = (await cli("token", "create", username, ...scopes)).split("\n").pop() ?? "";
			return { username, token, uri: `${origin}/users/${username}`, email: `${username}@example.com`, password };
		},
		cli,
		async sql(command) {
			const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
			const { stdout } = await run(
				process.execPath,
				[wrangler, "d1", "execute", "DB", "--local", "--persist-to", state, "--command", command],
				{ cwd: root, env: { ...process.env, CI: "true" } },
			);
			return stdout;
		},
		async api(path, init = {}) {
			const headers = new Headers(init.headers);
			if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
			if (init.body && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
			const response = await fetch(`${origin}${path}`, { ...init, headers });
			const text = await response.text();
			return { status: response.status, body: (text ? JSON.parse(text) : null) as never };
		},
	};
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			last = error;
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
