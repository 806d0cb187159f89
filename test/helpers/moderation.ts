import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { serviceContext } from "../../src/context";
import type { UserRole } from "../../src/db/schema";
import { lowestIdAt } from "../../src/lib/ids";
import type { ModerationContext } from "../../src/services/moderation/context";
import { forgetDomainPolicy } from "../../src/services/moderation/domain-policy";
import { api, createTestUser, type TestUser } from "./users";

export const ADMIN_SCOPES = "read write follow push admin:read admin:write";

/** A moderator or admin whose token carries the admin scopes. */
export function createStaff(role: Exclude<UserRole, "user"> = "admin", scopes = ADMIN_SCOPES): Promise<TestUser> {
	return createTestUser({ role, scopes });
}

export function moderationContext(): ModerationContext {
	return serviceContext(env);
}

export async function apiJson<T = Record<string, unknown>>(
	path: string,
	token: string | undefined,
	init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
	const response = await api(path, {
		method: init.method ?? "GET",
		token,
		headers: { ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}), ...init.headers },
		body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
	});
	const text = await response.text();
	return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

let counter = 0;
/** A domain no other test uses: blocks are instance-wide, and test files share the database. */
export function uniqueDomain(label = "blocked"): string {
	counter++;
	return `${label}${Date.now().toString(36)}${counter}.example`;
}

export interface CapturedOutbox {
	/** The outbox events recorded since captureOutbox, in order, whether or not the relay has taken them since. */
	events(): Promise<{ type: string; [key: string]: unknown }[]>;
}

/**
 * Records every outbox event as its batch commits (a trigger copies the row,
 * since the relay deletes it once planned), and keeps the queues from
 * running what the relay or services hand them.
 */
export async function captureOutbox(): Promise<CapturedOutbox> {
	await env.DB.batch([
		env.DB.prepare("create table if not exists test_captured_outbox_events (id text primary key, event text not null)"),
		env.DB.prepare(`create trigger if not exists test_capture_outbox_events after insert on outbox_events
			begin insert or ignore into test_captured_outbox_events (id, event) values (new.id, new.event); end`),
	]);
	const since = lowestIdAt(Date.now());
	vi.spyOn(env.DELIVERY_QUEUE, "send").mockResolvedValue(undefined as never);
	vi.spyOn(env.DELIVERY_QUEUE, "sendBatch").mockResolvedValue(undefined as never);
	vi.spyOn(env.JOBS_QUEUE, "send").mockResolvedValue(undefined as never);
	vi.spyOn(env.JOBS_QUEUE, "sendBatch").mockResolvedValue(undefined as never);
	return {
		async events() {
			const { results } = await env.DB.prepare(
				"select event from test_captured_outbox_events where id >= ? order by id",
			)
				.bind(since)
				.all<{ event: string }>();
			return results.map((row) => JSON.parse(row.event));
		},
	};
}

/** The cached domain policy of this isolate is dropped (tests that write blocks directly). */
export function freshPolicy(): void {
	forgetDomainPolicy(env);
}
