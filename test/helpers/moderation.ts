import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { serviceContext } from "../../src/context";
import type { UserRole } from "../../src/db/schema";
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

/** Records what services hand the delivery queue, instead of sending it. */
export function captureOutbox(): { events: { type: string; [key: string]: unknown }[] } {
	const captured = { events: [] as { type: string; [key: string]: unknown }[] };
	vi.spyOn(env.DELIVERY_QUEUE, "send").mockImplementation(async (body) => {
		const message = body as { type?: string; event?: { type: string } };
		if (message.type === "outbox.event" && message.event) captured.events.push(message.event);
		return undefined as never;
	});
	vi.spyOn(env.JOBS_QUEUE, "send").mockResolvedValue(undefined as never);
	vi.spyOn(env.JOBS_QUEUE, "sendBatch").mockResolvedValue(undefined as never);
	return captured;
}

/** The cached domain policy of this isolate is dropped (tests that write blocks directly). */
export function freshPolicy(): void {
	forgetDomainPolicy(env);
}
