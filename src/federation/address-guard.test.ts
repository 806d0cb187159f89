import { describe, expect, it } from "vitest";
import { urlRefusal } from "./address-guard";

const refused = (url: string) => urlRefusal(new URL(url), false);

describe("urlRefusal", () => {
	it.each([
		"http://127.0.0.1/",
		"http://2130706433/",
		"http://0x7f.1/",
		"http://10.1.2.3/",
		"http://172.20.0.1/",
		"http://192.168.1.1/",
		"http://169.254.169.254/latest/meta-data",
		"http://100.64.0.1/",
		"http://0.0.0.0/",
		"http://[::1]/",
		"http://[::]/",
		"http://[fe80::1]/",
		"http://[fd00::1]/",
		"http://[::ffff:127.0.0.1]/",
		"http://[::ffff:10.0.0.1]/",
		"http://[64:ff9b::7f00:1]/",
		"http://localhost/",
		"http://LOCALHOST./",
		"http://api.localhost/",
		"http://printer.local/",
		"http://intranet/",
		"ftp://example.com/",
		"file:///etc/passwd",
		"https://user:pw@example.com/",
	])("refuses %s", (url) => {
		expect(refused(url)).not.toBeNull();
	});

	it.each([
		"https://mastodon.social/users/Gargron",
		"http://93.184.216.34/",
		"https://[2606:4700::6810:85e5]/",
		"https://[::ffff:93.184.216.34]/",
	])("allows %s", (url) => {
		expect(refused(url)).toBeNull();
	});

	it("allows private addresses when configured to", () => {
		expect(urlRefusal(new URL("http://127.0.0.1:8811/"), true)).toBeNull();
		expect(urlRefusal(new URL("ftp://127.0.0.1/"), true)).not.toBeNull();
	});
});
