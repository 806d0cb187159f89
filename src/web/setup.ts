import { isPlaceholderDomain } from "../config";
import type { AppContext } from "../http/context";
import { notFound } from "../http/errors";
import { readParams } from "../http/params";
import type { AppRouter } from "../http/router";
import { ValidationError } from "../lib/errors";
import { startWebSession } from "../services/auth/web-sessions";
import {
	checkSetupSecret,
	completeSetup,
	SetupClosedError,
	secretUsable,
	setupOpen,
	setupProof,
	setupProofValid,
} from "../services/instance/setup";
import { csrfTokenFor, csrfValid, FORM_COOKIE, formSecret, readCookies, sessionCookie } from "./session";
import { type SetupValues, setupBlockedPage, setupDonePage, setupFormPage, setupSecretPage } from "./setup-pages";

const EXPIRED = "The form expired or did not come from this site. Please start again.";

/**
 * Setup in the browser (services/instance/setup.ts): `/setup` asks for the
 * deployment's secret, `/setup/finish` makes the admin and the settings. Both
 * answer 404 once the server has an admin, as any unknown path does.
 */
export function setupRoutes(router: AppRouter): void {
	router.get("/setup", async (request, ctx) => {
		const blocked = await refusal(ctx);
		if (blocked) return blocked;
		const form = formSecret(request, ctx);
		return setupSecretPage(pageContext(ctx, { "Set-Cookie": form.setCookie }), {
			csrf: await csrfTokenFor(form.secret),
		});
	});

	router.post("/setup", async (request, ctx) => {
		const blocked = await refusal(ctx);
		if (blocked) return blocked;
		const params = await readParams(request);
		const cookie = readCookies(request).get(FORM_COOKIE);
		const again = async (status: number, error: string) => {
			const form = formSecret(request, ctx);
			return setupSecretPage(pageContext(ctx, { "Set-Cookie": form.setCookie }, status), {
				csrf: await csrfTokenFor(form.secret),
				error,
			});
		};
		if (!cookie || !(await csrfValid(cookie, params.string("authenticity_token")))) return again(403, EXPIRED);
		const check = await checkSetupSecret(
			ctx.db,
			ctx.env.KEY_ENCRYPTION_SECRET,
			params.string("secret", { maxLength: 1024 }) ?? "",
			request.headers.get("CF-Connecting-IP"),
		);
		if (check === "throttled") return again(429, "Too many wrong attempts. Wait a few minutes and try again.");
		if (check === "wrong") return again(401, "That is not this deployment's KEY_ENCRYPTION_SECRET.");
		if (check === "unusable") return setupBlockedPage(pageContext(ctx), "secret");
		return setupFormPage(pageContext(ctx), {
			csrf: await csrfTokenFor(cookie),
			proof: await setupProof(ctx.env.KEY_ENCRYPTION_SECRET, cookie),
			...domainShown(ctx),
			values: {},
		});
	});

	router.post("/setup/finish", async (request, ctx) => {
		const blocked = await refusal(ctx);
		if (blocked) return blocked;
		const params = await readParams(request);
		const cookie = readCookies(request).get(FORM_COOKIE);
		const proof = params.string("proof", { maxLength: 200 });
		const proven =
			cookie !== undefined &&
			(await csrfValid(cookie, params.string("authenticity_token"))) &&
			(await setupProofValid(ctx.env.KEY_ENCRYPTION_SECRET, cookie, proof));
		if (!proven) {
			const form = formSecret(request, ctx);
			return setupSecretPage(pageContext(ctx, { "Set-Cookie": form.setCookie }, 403), {
				csrf: await csrfTokenFor(form.secret),
				error: EXPIRED,
			});
		}
		const values: SetupValues = {
			username: params.string("username", { maxLength: 64 }) ?? "",
			email: params.string("email", { maxLength: 320 }) ?? "",
			title: params.string("title", { maxLength: 200 }) ?? "",
			description: params.string("description", { maxLength: 1000 }) ?? "",
			rules: params.string("rules", { maxLength: 10_000 }) ?? "",
			registrationMode: params.string("registration_mode", { maxLength: 16 }) ?? "",
		};
		try {
			const { user, account } = await completeSetup(ctx.db, ctx.env, ctx.config, {
				username: values.username ?? "",
				email: values.email ?? "",
				password: params.string("password", { maxLength: 256 }) ?? "",
				title: values.title ?? "",
				description: values.description ?? "",
				rules: values.rules ?? "",
				registrationMode: values.registrationMode ?? "",
			});
			const session = await startWebSession(ctx.db, user.id, request.headers.get("User-Agent"));
			return setupDonePage(
				{
					instanceTitle: values.title?.trim() || ctx.config.title,
					headers: { "Set-Cookie": sessionCookie(ctx, session.secret) },
				},
				{ username: account.username, domain: ctx.config.domain },
			);
		} catch (error) {
			if (error instanceof SetupClosedError) throw notFound("Not found");
			if (!(error instanceof ValidationError)) throw error;
			return setupFormPage(pageContext(ctx, undefined, 422), {
				csrf: await csrfTokenFor(cookie as string),
				proof: proof as string,
				...domainShown(ctx),
				values,
				error: error.message,
			});
		}
	});
}

function pageContext(ctx: AppContext, headers?: Record<string, string | undefined>, status?: number) {
	const set = Object.entries(headers ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined);
	return { instanceTitle: ctx.config.title, status, headers: set.length > 0 ? Object.fromEntries(set) : undefined };
}

/** The domain setup will store: INSTANCE_DOMAIN when set, else the address the page was opened at (app.ts). */
function domainShown(ctx: AppContext) {
	return { domain: ctx.config.domain, domainFromAddress: !ctx.env.INSTANCE_DOMAIN?.trim() };
}

/** 404 once set up; a page saying what to fix while the deployment cannot be set up. */
async function refusal(ctx: AppContext): Promise<Response | undefined> {
	if (!(await setupOpen(ctx.db, ctx.env.DB))) throw notFound("Not found");
	if (isPlaceholderDomain(ctx.config.domain))
		return setupBlockedPage(pageContext(ctx), "placeholder", ctx.config.domain);
	if (!secretUsable(ctx.env.KEY_ENCRYPTION_SECRET)) return setupBlockedPage(pageContext(ctx), "secret");
	return undefined;
}
