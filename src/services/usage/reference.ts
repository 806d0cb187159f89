// Written by `npm run cost -- --write-reference` from bench/results.json: what each
// operation of the cost model costs, as the last full benchmark measured it.
import type { OperationCosts } from "./model";

export const REFERENCE_COSTS: OperationCosts | null = null;
