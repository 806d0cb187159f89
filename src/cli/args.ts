export interface ParsedArgs {
	positionals: string[];
	flags: Map<string, string | true>;
}

/** `--name value`, `--name=value` and bare `--flag`; everything else is positional. */
export function parseArgs(argv: readonly string[], booleanFlags: ReadonlySet<string>): ParsedArgs {
	const positionals: string[] = [];
	const flags = new Map<string, string | true>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i] as string;
		if (!arg.startsWith("--")) {
			positionals.push(arg);
			continue;
		}
		const eq = arg.indexOf("=");
		if (eq > 0) {
			flags.set(arg.slice(2, eq), arg.slice(eq + 1));
		} else if (booleanFlags.has(arg.slice(2))) {
			flags.set(arg.slice(2), true);
		} else {
			const value = argv[i + 1];
			if (value === undefined || value.startsWith("--")) throw new CliError(`${arg} needs a value`);
			flags.set(arg.slice(2), value);
			i++;
		}
	}
	return { positionals, flags };
}

export class CliError extends Error {}
