import { eq } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { dataImports } from "../../db/schema";
import { runArchiveImportStep } from "./archive-import";
import type { ArchiveImportDeps } from "./archive-post";
import { type ImportResolvers, runCsvImportStep } from "./csv-import-steps";

export type ImportDeps = ArchiveImportDeps & ImportResolvers;

/** The jobs queue's `import.step`: a step of a CSV import or of an archive import, by the import's type. */
export async function runImportJob(ctx: ServiceContext, importId: string, deps: ImportDeps): Promise<void> {
	const [row] = await ctx.db.select().from(dataImports).where(eq(dataImports.id, importId)).limit(1);
	if (!row) return;
	if (row.type === "archive") await runArchiveImportStep(ctx, row, deps);
	else await runCsvImportStep(ctx, importId, deps);
}
