// Worker scripts of the stand-in account (developers.cloudflare.com/api:
// workers/subresources/scripts, versions, deployments, secrets, schedules,
// subdomain). A first deploy uploads the script whole; later ones upload a
// version and then deploy it, as wrangler does against the real API.
import { randomUUID } from "node:crypto";
import { ApiFailure, type ApiRequest, now, parseMultipart, type Route, workerNotFound } from "./api";
import type { Storage } from "./storage";

export type Binding = Record<string, unknown> & { name: string; type: string };

export interface ScriptRecord {
	created_on: string;
	/** Secret values, as the account keeps them; never recorded in calls or uploads. */
	secrets: Map<string, string>;
	/** The latest version's bindings, `inherit` resolved. */
	bindings: Binding[];
	schedules: string[];
	subdomain: boolean;
	versions: string[];
	deployedVersion: string | undefined;
	/** Settings outside versions (observability, logpush, tags), from PATCH script-settings. */
	settings: Record<string, unknown>;
	/** The last Durable Object migration applied (an upload's `migrations.new_tag`), which wrangler reads back. */
	migrationTag: string | undefined;
}

export interface ScriptUpload {
	name: string;
	/** `script`: a Worker's first upload, live at once; `version`: a later one, live once deployed. */
	kind: "script" | "version";
	versionId: string;
	/** The metadata part as sent, secret values blanked. */
	metadata: Record<string, unknown> & { bindings?: Binding[]; migrations?: { new_tag?: string } };
	/** Names of the other parts: the modules. */
	modules: string[];
	seq: number;
}

export class Workers {
	readonly scripts = new Map<string, ScriptRecord>();
	readonly uploads: ScriptUpload[] = [];

	constructor(
		private readonly storage: Storage,
		readonly subdomain: string,
	) {}

	routes(): Route[] {
		return [
			["GET", /^\/workers\/subdomain$/, () => ({ result: { subdomain: this.subdomain } })],
			["GET", /^\/workers\/services\/([^/]+)$/, (r) => this.service(r.params[0] as string)],
			["GET", /^\/workers\/workers\/([^/]+)$/, (r) => this.worker(r.params[0] as string)],
			["PUT", /^\/workers\/scripts\/([^/]+)$/, (r) => this.upload(r, "script")],
			["POST", /^\/workers\/scripts\/([^/]+)\/versions$/, (r) => this.upload(r, "version")],
			["GET", /^\/workers\/scripts\/([^/]+)\/deployments$/, (r) => this.deployments(r.params[0] as string)],
			["POST", /^\/workers\/scripts\/([^/]+)\/deployments$/, (r) => this.deploy(r)],
			["GET", /^\/workers\/scripts\/([^/]+)\/settings$/, (r) => ({ result: { bindings: this.script(r).bindings } })],
			["PATCH", /^\/workers\/scripts\/([^/]+)\/script-settings$/, (r) => this.patchSettings(r)],
			["GET", /^\/workers\/scripts\/([^/]+)\/secrets$/, (r) => this.secrets(r)],
			["PUT", /^\/workers\/scripts\/([^/]+)\/schedules$/, (r) => this.schedules(r)],
			["GET", /^\/workers\/scripts\/([^/]+)\/subdomain$/, (r) => this.scriptSubdomain(r)],
			["POST", /^\/workers\/scripts\/([^/]+)\/subdomain$/, (r) => this.scriptSubdomain(r)],
		];
	}

	private script({ params }: ApiRequest): ScriptRecord {
		const script = this.scripts.get(params[0] ?? "");
		if (!script) throw workerNotFound();
		return script;
	}

	private service(name: string) {
		const script = this.scripts.get(name);
		if (!script) throw workerNotFound();
		return {
			result: {
				id: name,
				created_on: script.created_on,
				modified_on: now(),
				default_environment: {
					environment: "production",
					created_on: script.created_on,
					modified_on: now(),
					script: {
						id: name,
						tag: name,
						tags: [],
						last_deployed_from: "wrangler",
						...(script.migrationTag ? { migration_tag: script.migrationTag } : {}),
					},
				},
			},
		};
	}

	private worker(name: string) {
		const script = this.scripts.get(name);
		if (!script) throw workerNotFound();
		return {
			result: {
				id: name,
				name,
				created_on: script.created_on,
				subdomain: { enabled: script.subdomain, previews_enabled: false },
			},
		};
	}

	private deployments(name: string) {
		const script = this.scripts.get(name);
		if (!script) throw workerNotFound();
		const versions = [{ version_id: script.deployedVersion, percentage: 100 }];
		return {
			result: { deployments: [{ id: script.deployedVersion, source: "wrangler", strategy: "percentage", versions }] },
		};
	}

	private deploy(request: ApiRequest) {
		const script = this.script(request);
		const body = request.call.body as { strategy: string; versions: Array<{ version_id: string; percentage: number }> };
		const [only] = body.versions;
		if (body.versions.length !== 1 || only?.percentage !== 100 || !script.versions.includes(only.version_id)) {
			throw new ApiFailure(400, 10221, "A deployment must send all traffic to one uploaded version");
		}
		script.deployedVersion = only.version_id;
		return {
			result: {
				id: randomUUID(),
				source: "wrangler",
				strategy: body.strategy,
				versions: body.versions,
				created_on: now(),
			},
		};
	}

	private patchSettings(request: ApiRequest) {
		const script = this.script(request);
		script.settings = { ...script.settings, ...(request.call.body as Record<string, unknown>) };
		return { result: script.settings };
	}

	private secrets(request: ApiRequest) {
		return { result: [...this.script(request).secrets.keys()].map((name) => ({ name, type: "secret_text" })) };
	}

	private schedules(request: ApiRequest) {
		const script = this.script(request);
		script.schedules = (request.call.body as Array<{ cron: string }>).map((s) => s.cron);
		return { result: { schedules: script.schedules.map((cron) => ({ cron, created_on: now(), modified_on: now() })) } };
	}

	private scriptSubdomain(request: ApiRequest) {
		const script = this.script(request);
		if (request.call.method === "POST") script.subdomain = (request.call.body as { enabled: boolean }).enabled;
		return { result: { enabled: script.subdomain, previews_enabled: false } };
	}

	/**
	 * PUT /workers/scripts/:name or POST .../versions. `inherit` bindings take
	 * the previous version's binding of that name, as the API does; a binding
	 * to a resource that does not exist is refused.
	 */
	private upload(request: ApiRequest, kind: ScriptUpload["kind"]) {
		const name = request.params[0] as string;
		const parts = parseMultipart(request.raw, request.contentType);
		const metadataPart = parts.find((part) => part.name === "metadata");
		if (!metadataPart) throw new ApiFailure(400, 10021, "The upload has no metadata part");
		const metadata = JSON.parse(metadataPart.body.toString("utf8")) as ScriptUpload["metadata"];
		const existing = this.scripts.get(name);
		if (kind === "version" && !existing) throw workerNotFound();
		const secrets = new Map(existing?.secrets);
		const bindings = (metadata.bindings ?? []).map((binding): Binding => {
			if (binding.type === "secret_text") {
				secrets.set(binding.name, String(binding.text));
				return { name: binding.name, type: "secret_text" };
			}
			if (binding.type !== "inherit") return binding;
			const previous = existing?.bindings.find((b) => b.name === binding.name);
			if (previous) return previous;
			if (secrets.has(binding.name)) return { name: binding.name, type: "secret_text" };
			throw new ApiFailure(400, 10057, `inherit binding '${binding.name}' is invalid`);
		});
		for (const binding of bindings) this.checkResource(binding);

		const versionId = randomUUID();
		this.scripts.set(name, {
			created_on: existing?.created_on ?? now(),
			secrets,
			bindings,
			schedules: existing?.schedules ?? [],
			subdomain: existing?.subdomain ?? false,
			versions: [...(existing?.versions ?? []), versionId],
			// A first upload goes live at once; a version once it is deployed.
			deployedVersion: kind === "script" ? versionId : existing?.deployedVersion,
			settings: kind === "script" ? { observability: metadata.observability } : (existing?.settings ?? {}),
			migrationTag: metadata.migrations?.new_tag ?? existing?.migrationTag,
		});
		const recorded = {
			...metadata,
			bindings: metadata.bindings?.map((b) => (b.type === "secret_text" ? { ...b, text: "(hidden)" } : b)),
		};
		request.call.body = { metadata: recorded };
		this.uploads.push({
			name,
			kind,
			versionId,
			metadata: recorded,
			modules: parts.filter((part) => part.name !== "metadata").map((part) => part.name),
			seq: request.call.seq,
		});
		if (kind === "version") {
			return {
				result: {
					id: versionId,
					number: this.scripts.get(name)?.versions.length,
					metadata: { author_id: "rehearsal", created_on: now(), has_preview: false, source: "wrangler" },
					resources: { bindings, script: { etag: versionId, handlers: ["fetch", "queue", "scheduled"] } },
					startup_time_ms: 1,
				},
			};
		}
		return {
			result: {
				id: name,
				etag: versionId,
				deployment_id: versionId,
				handlers: ["fetch", "queue", "scheduled"],
				created_on: now(),
				modified_on: now(),
				startup_time_ms: 1,
				usage_model: "standard",
				has_assets: false,
				has_modules: true,
			},
		};
	}

	private checkResource(binding: Binding) {
		const missing =
			(binding.type === "d1" && !this.storage.databases.has(String(binding.id))) ||
			(binding.type === "r2_bucket" && !this.storage.buckets.has(String(binding.bucket_name))) ||
			(binding.type === "queue" && !this.storage.queueNamed(binding.queue_name));
		if (missing) throw new ApiFailure(400, 10021, `Binding '${binding.name}' refers to a resource that does not exist`);
	}
}
