import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** Settings every in-workerd test sees, whatever .dev.vars holds on this machine. */
export const TEST_VARS = {
	INSTANCE_DOMAIN: "tern.test",
	INSTANCE_SCHEME: "https",
	INSTANCE_TITLE: "Tern Test",
	INSTANCE_CONTACT_EMAIL: "admin@tern.test",
	REGISTRATION_MODE: "open",
	ALLOW_PRIVATE_ADDRESSES: "false",
	AUTHORIZED_FETCH: "false",
	KEY_ENCRYPTION_SECRET: "test-secret-test-secret-test-secret-0123456789",
};

export default defineConfig(async () => {
	const migrations = await readD1Migrations("./migrations");
	return {
		test: {
			projects: [
				{
					plugins: [
						cloudflareTest({
							wrangler: { configPath: "./wrangler.toml" },
							miniflare: { bindings: { ...TEST_VARS, TEST_MIGRATIONS: migrations } },
						}),
					],
					test: {
						name: "workers",
						include: ["src/**/*.test.ts", "test/**/*.test.ts"],
						exclude: ["test/node/**", "test/interop/**"],
						setupFiles: ["./test/setup/apply-migrations.ts"],
					},
				},
				{
					// Real servers on loopback (Tern under wrangler dev, a Fedify peer): `npm run test:interop`.
					test: {
						name: "interop",
						include: ["test/interop/**/*.test.ts"],
						environment: "node",
						testTimeout: 120_000,
						hookTimeout: 180_000,
						fileParallelism: false,
					},
				},
				{
					// `npm run deploy` against a local stand-in of the Cloudflare API: `npm run test:deploy`.
					test: {
						name: "deploy",
						include: ["test/deploy/**/*.test.ts"],
						environment: "node",
						testTimeout: 300_000,
						hookTimeout: 120_000,
						fileParallelism: false,
					},
				},
				{
					test: {
						name: "node",
						include: ["test/node/**/*.test.ts"],
						environment: "node",
						testTimeout: 120_000,
						hookTimeout: 120_000,
					},
				},
			],
		},
	};
});
