import type { AppRouter } from "../../http/router";
import { accountPageRoutes } from "./accounts";
import { auditLogPageRoutes } from "./audit-log";
import { dashboardRoutes } from "./dashboard";
import { domainBlockPageRoutes } from "./domain-blocks";
import { reportPageRoutes } from "./reports";
import { settingsPageRoutes } from "./settings";
import { signUpPageRoutes } from "./sign-ups";

/** The admin console's pages at /admin (see console.ts for who may open them). */
export function adminConsoleRoutes(router: AppRouter): void {
	dashboardRoutes(router);
	reportPageRoutes(router);
	accountPageRoutes(router);
	signUpPageRoutes(router);
	domainBlockPageRoutes(router);
	settingsPageRoutes(router);
	auditLogPageRoutes(router);
}
