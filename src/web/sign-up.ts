import type { AppContext, AppRequest } from "../http/context";
import { readParams } from "../http/params";
import type { AppRouter } from "../http/router";
import { ValidationError } from "../lib/errors";
import { RegistrationClosedError, registerUser } from "../services/auth/registration";
import { startWebSession } from "../services/auth/web-sessions";
import { listRules } from "../services/instance/facts";
import { SignUpThrottledError, signUpThrottled } from "../services/moderation/sign-ups";
import { messagePage, signUpPage } from "./pages";
import { continuePasswordStep, type PasswordStepHandlers, startPasswordStep } from "./password-steps";
import { csrfTokenFor, csrfValid, FORM_COOKIE, formSecret, readCookies, sessionCookie } from "./session";

const CLOSED = "Sign-ups are closed on this server.";
const CONTINUE_PATH = "/auth/sign_up/continue";

/** What the sign-up form sends besides the password, carried (sealed) while the password is hashed. */
interface SignUpValues {
	username: string;
	email: string;
	reason: string | undefined;
}

/** The form again with what went wrong, or the account made once the password's hash is done. */
function signUpHandlers(
	request: AppRequest,
	ctx: AppContext,
	secret: string | undefined,
	values: SignUpValues,
): PasswordStepHandlers<SignUpValues> {
	const again = async (status: number, error: string, shown = values) =>
		signUpPage(
			{ instanceTitle: ctx.config.title, status },
			{
				csrf: secret ? await csrfTokenFor(secret) : "",
				approvalRequired: ctx.config.registrationMode === "approval",
				rules: await listRules(ctx.db),
				values: shown,
				error,
			},
		);
	return {
		refused: again,
		async done(action, passwordHash) {
			if (!passwordHash) return again(422, "No password was given.", action);
			try {
				const { user, account } = await registerUser(ctx.db, ctx.env, ctx.config, {
					...action,
					password: "",
					passwordHash,
					agreement: true,
					locale: undefined,
					address: request.headers.get("CF-Connecting-IP"),
				});
				const session = await startWebSession(ctx.db, user.id, request.headers.get("User-Agent"));
				const message = user.approved
					? `Welcome, @${account.username}! Your account is ready: sign in from any Mastodon app.`
					: `Thanks, @${account.username}. A moderator will review your sign-up; you can sign in once it is approved.`;
				return messagePage("Signed up", message, {
					instanceTitle: ctx.config.title,
					headers: { "Set-Cookie": sessionCookie(ctx, session.secret) },
				});
			} catch (error) {
				if (error instanceof ValidationError) return again(422, error.message, action);
				if (error instanceof RegistrationClosedError) return again(403, CLOSED, action);
				if (error instanceof SignUpThrottledError) return again(429, error.message, action);
				throw error;
			}
		},
	};
}

export function signUpRoutes(router: AppRouter): void {
	router.get("/auth/sign_up", async (request, ctx) => {
		if (ctx.config.registrationMode === "closed") {
			return messagePage("Sign-ups closed", CLOSED, { instanceTitle: ctx.config.title });
		}
		const form = formSecret(request, ctx);
		return signUpPage(
			{ instanceTitle: ctx.config.title, headers: form.setCookie ? { "Set-Cookie": form.setCookie } : undefined },
			{
				csrf: await csrfTokenFor(form.secret),
				approvalRequired: ctx.config.registrationMode === "approval",
				rules: await listRules(ctx.db),
			},
		);
	});

	router.post("/auth/sign_up", async (request, ctx) => {
		if (ctx.config.registrationMode === "closed") {
			return messagePage("Sign-ups closed", CLOSED, { instanceTitle: ctx.config.title, status: 403 });
		}
		const params = await readParams(request);
		const values: SignUpValues = {
			username: params.string("username", { maxLength: 64 }) ?? "",
			email: params.string("email", { maxLength: 320 }) ?? "",
			reason: params.string("reason", { maxLength: 1000 }),
		};
		const secret = readCookies(request).get(FORM_COOKIE);
		const handlers = signUpHandlers(request, ctx, secret, values);
		if (!secret || !(await csrfValid(secret, params.string("authenticity_token")))) {
			return handlers.refused(403, "The form expired or did not come from this site. Please try again.");
		}
		// Refused before any password work, as the sign-up itself would be at the end.
		if (await signUpThrottled(ctx.db, request.headers.get("CF-Connecting-IP"))) {
			return handlers.refused(429, new SignUpThrottledError().message);
		}
		if (params.boolean("agreement") !== true) {
			return handlers.refused(422, "You must agree to the server rules");
		}
		// The password is hashed a chain link per request (docs/performance.md, "Sign-in"); the account is made at the end.
		return startPasswordStep(
			ctx,
			{
				boundTo: `${secret}:sign-up`,
				newPassword: params.string("password", { maxLength: 256 }) ?? "",
				action: values,
			},
			CONTINUE_PATH,
			handlers,
		);
	});

	router.get(CONTINUE_PATH, async (request, ctx) => {
		const secret = readCookies(request).get(FORM_COOKIE);
		const empty: SignUpValues = { username: "", email: "", reason: undefined };
		return continuePasswordStep(
			request,
			ctx,
			`${secret ?? ""}:sign-up`,
			CONTINUE_PATH,
			signUpHandlers(request, ctx, secret, empty),
		);
	});
}
