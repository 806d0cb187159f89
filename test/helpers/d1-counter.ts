import { env } from "cloudflare:workers";
import { handleFetch } from "../../src/http/app";

export interface D1Counts {
	/** Round trips to D1: each batch, and each statement run alone. */
	roundTrips: number;
	/** Statements executed, batched or not. */
	statements: number;
}

const originals = new WeakMap<object, D1PreparedStatement>();

function countingStatement(statement: D1PreparedStatement, counts: D1Counts): D1PreparedStatement {
	const proxy = new Proxy(statement, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (typeof value !== "function") return value;
			if (property === "bind") {
				return (...args: unknown[]) => countingStatement(value.apply(target, args), counts);
			}
			if (["all", "first", "run", "raw"].includes(String(property))) {
				return (...args: unknown[]) => {
					counts.roundTrips++;
					counts.statements++;
					return value.apply(target, args);
				};
			}
			return value.bind(target);
		},
	});
	originals.set(proxy, statement);
	return proxy;
}

/** Runs one request through the Worker with a D1 binding that counts what it is asked to do. */
export async function countD1(request: Request): Promise<{ response: Response; counts: D1Counts }> {
	const counts: D1Counts = { roundTrips: 0, statements: 0 };
	const unwrap = (s: D1PreparedStatement) => originals.get(s) ?? s;
	const db = new Proxy(env.DB, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (property === "prepare") return (query: string) => countingStatement(value.call(target, query), counts);
			if (property === "batch") {
				return (statements: D1PreparedStatement[]) => {
					counts.roundTrips++;
					counts.statements += statements.length;
					return value.call(target, statements.map(unwrap));
				};
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	const exec = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
	const response = await handleFetch(request, { ...env, DB: db }, exec);
	return { response, counts };
}
