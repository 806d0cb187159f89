import { expect, it } from "vitest";
import pkg from "../package.json";
import { TERN_VERSION, VERSION_STRING } from "./version";

it("keeps TERN_VERSION equal to package.json's version", () => {
	expect(TERN_VERSION).toBe(pkg.version);
	expect(VERSION_STRING).toBe(`4.5.0 (compatible; Tern ${pkg.version})`);
});
