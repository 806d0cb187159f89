import { DOMAIN_PATTERN, type InstanceConfig, instanceConfig } from "../config";
import type { Db } from "../db/client";
import { isFederationPath } from "../federation/routes/paths";
import { domainState } from "../services/instance/domain";
import { envWithSettings, type InstanceSettings } from "../services/instance/settings";
import { setupOpen } from "../services/instance/setup";
import { domainConflictPage, notSetUpPage } from "../web/setup-pages";
import { errorJson } from "./responses";

export type Gate = { response: Response } | { env: Env; config: InstanceConfig };

/** Browsers get a page explaining; apps and servers get Mastodon's `{"error": ...}`. */
function wantsPage(request: Request, path: string): boolean {
	return !path.startsWith("/api/") && (request.headers.get("Accept") ?? "").includes("text/html");
}

function redirect(location: string): Response {
	return new Response(null, { status: 302, headers: { Location: location, "Cache-Control": "no-store" } });
}

/**
 * What every request passes before routing, decided from the vars and the
 * settings stored in D1 (services/instance/domain.ts, setup.ts):
 * - INSTANCE_DOMAIN names another domain than the one accounts were made
 *   under: every request gets a page explaining why the domain cannot change;
 * - no domain yet (INSTANCE_DOMAIN empty, setup not finished): `/` leads to
 *   `/setup`, which runs with the address it was opened at as its domain,
 *   and everything else answers 503;
 * - a placeholder domain (`tern.example`): federation is refused;
 * - no admin yet: `/` leads to `/setup`.
 */
export async function instanceGate(request: Request, env: Env, settings: InstanceSettings, db: Db): Promise<Gate> {
	const url = new URL(request.url);
	const path = url.pathname;
	const settled = envWithSettings(env, settings);
	const domain = domainState(env, settings.domain);
	const page = { instanceTitle: settled.INSTANCE_TITLE || "Tern" };

	if (domain.conflict && domain.stored) {
		const domains = { stored: domain.stored, configured: domain.configured };
		if (wantsPage(request, path)) return { response: domainConflictPage(page, domains) };
		return {
			response: errorJson(
				503,
				`This server's domain is ${domains.stored} and cannot change, but INSTANCE_DOMAIN says ${domains.configured}`,
			),
		};
	}

	if (!domain.effective) {
		if (path === "/") return { response: redirect("/setup") };
		const host = url.host.toLowerCase();
		if ((path === "/setup" || path.startsWith("/setup/")) && DOMAIN_PATTERN.test(host)) {
			return { env: settled, config: instanceConfig({ ...settled, INSTANCE_DOMAIN: host }) };
		}
		if (wantsPage(request, path)) return { response: notSetUpPage(page) };
		return { response: errorJson(503, "This server is not set up yet") };
	}

	if (domain.placeholder && isFederationPath(path)) {
		return {
			response: errorJson(
				503,
				`This server's domain (${domain.effective}) is a placeholder: it does not federate until INSTANCE_DOMAIN names its real domain`,
			),
		};
	}
	if (path === "/" && (await setupOpen(db, env.DB))) return { response: redirect("/setup") };
	return { env: settled, config: instanceConfig(settled) };
}
