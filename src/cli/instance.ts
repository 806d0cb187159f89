import type { Db } from "../db/client";
import { changeDomain, domainState, hasFederated } from "../services/instance/domain";
import {
	INSTANCE_SETTINGS,
	type InstanceSettingKey,
	readInstanceSettings,
	writeInstanceSettings,
} from "../services/instance/settings";
import { CliError } from "./args";
import type { CliEnv, CliIo } from "./env";

/** The settings an admin edits, by the names the CLI takes (the domain has its own commands). */
const SETTING_NAMES: Record<string, Exclude<InstanceSettingKey, "domain">> = {
	title: "title",
	description: "description",
	"contact-email": "contactEmail",
	"registration-mode": "registrationMode",
	"extended-description": "extendedDescription",
	"privacy-policy": "privacyPolicy",
	"show-domain-blocks": "showDomainBlocks",
	"show-domain-blocks-rationale": "showDomainBlocksRationale",
	"limited-federation": "limitedFederation",
};

export async function settingsShow(env: CliEnv, db: Db, io: CliIo) {
	const stored = await readInstanceSettings(db);
	for (const [name, key] of Object.entries(SETTING_NAMES)) {
		const variable = INSTANCE_SETTINGS[key];
		const fromVar = variable ? env[variable] : undefined;
		const [value, source] =
			stored[key] !== undefined
				? [stored[key], "stored"]
				: fromVar
					? [fromVar, `the Worker's ${variable}`]
					: ["", "not set"];
		io.out(`${name}\t${JSON.stringify(value)}\t(${source})`);
	}
}

export async function settingsSet(db: Db, positionals: string[], io: CliIo) {
	const [name, ...words] = positionals;
	const key = name ? SETTING_NAMES[name] : undefined;
	if (!key) throw new CliError(`settings set needs one of: ${Object.keys(SETTING_NAMES).join(", ")}`);
	if (words.length === 0) throw new CliError(`settings set ${name} needs a value ("" returns it to the Worker's var)`);
	const value = words.join(" ");
	await writeInstanceSettings(db, { [key]: value });
	// Each running isolate keeps the settings it read for up to 30 seconds.
	io.out(value === "" ? `Removed ${name}: the Worker's var applies again.` : `Set ${name}.`);
	io.out("A running server uses it within 30 seconds.");
}

export async function domainShow(env: CliEnv, db: Db, io: CliIo) {
	const state = domainState(env, (await readInstanceSettings(db)).domain);
	if (!state.effective) {
		io.out("No domain yet: setup stores the address it is finished at (or set INSTANCE_DOMAIN).");
		return;
	}
	const source = state.stored ? "stored when the first account was made" : "from INSTANCE_DOMAIN, not stored yet";
	io.out(`Domain: ${state.stored ?? state.effective} (${source})`);
	if (state.conflict) io.out(`INSTANCE_DOMAIN says ${state.configured}: the server refuses to serve until they agree.`);
	if (state.placeholder) io.out("This is a placeholder domain: the server makes no accounts and does not federate.");
	io.out((await hasFederated(db)) ? "Federated: yes (the domain can no longer change)" : "Federated: not yet");
}

export async function domainSet(env: CliEnv, db: Db, positionals: string[], io: CliIo) {
	const target = positionals[0];
	if (!target) throw new CliError("domain set needs the new host, e.g. domain set social.example.org");
	const change = await changeDomain(db, env.INSTANCE_SCHEME === "http" ? "http" : "https", target);
	if (change.changed === 0 && change.from === change.to) {
		io.out(`The domain is already ${change.to}`);
		return;
	}
	io.out(`Moved from ${change.from} to ${change.to}: ${change.changed} values rewritten.`);
	const configured = env.INSTANCE_DOMAIN?.trim().toLowerCase();
	if (configured && configured !== change.to) {
		io.out(`INSTANCE_DOMAIN still says ${configured}: set it to ${change.to} or leave it empty, then deploy.`);
	}
}
