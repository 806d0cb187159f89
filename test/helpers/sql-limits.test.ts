import { describe, expect, it } from "vitest";
import { maxFunctionArguments } from "./sql-limits";

describe("maxFunctionArguments", () => {
	it("counts the arguments of the widest call, nested or not, skipping quoted text", () => {
		expect(maxFunctionArguments("select 1")).toBe(0);
		expect(maxFunctionArguments("select count(*) from t")).toBe(1);
		expect(maxFunctionArguments("select json_object('a', 1, 'b', coalesce(x, y, z)) from t")).toBe(4);
		expect(maxFunctionArguments(`select f('a,b,c', "x,y") where a in (1, 2, 3, 4, 5)`)).toBe(2);
		expect(maxFunctionArguments("select g()")).toBe(0);
	});
});
