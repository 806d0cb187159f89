import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./dev-server";

const run = promisify(execFile);
const VNU_JAR = join(ROOT, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");

/** Whether the W3C checker can run here: it needs Java (CI installs a JRE, as it installs Chromium). */
export const hasJava = spawnSync("java", ["-version"], { stdio: "ignore" }).status === 0;

export interface ValidationMessage {
	page: string;
	line?: number;
	message: string;
	extract?: string;
}

/**
 * Checks pages with the W3C Nu HTML Checker (vnu.jar from npm's vnu-jar),
 * all in one Java run: the errors, empty when every page is valid HTML.
 */
export async function validateHtml(pages: Record<string, string>): Promise<ValidationMessage[]> {
	const dir = mkdtempSync(join(tmpdir(), "tern-vnu-"));
	try {
		const files = Object.entries(pages).map(([name, html], i) => {
			const file = join(dir, `${i}.html`);
			writeFileSync(file, html);
			return { name, file };
		});
		let output: string;
		try {
			const result = await run(
				"java",
				["-jar", VNU_JAR, "--errors-only", "--format", "json", "--stdout", ...files.map((f) => f.file)],
				{
					maxBuffer: 16 * 1024 * 1024,
				},
			);
			output = result.stdout;
		} catch (error) {
			// vnu exits 1 when it found errors; its report is still on stdout.
			output = (error as { stdout?: string }).stdout ?? "";
			if (!output) throw error;
		}
		const report = JSON.parse(output) as {
			messages: { type: string; url?: string; lastLine?: number; message: string; extract?: string }[];
		};
		return report.messages
			.filter((m) => m.type === "error")
			.map((m) => ({
				page: files.find((f) => m.url?.endsWith(f.file))?.name ?? m.url ?? "?",
				line: m.lastLine,
				message: m.message,
				extract: m.extract,
			}));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
