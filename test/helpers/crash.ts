/**
 * A D1 binding that works for the first `calls` round trips (a statement run
 * alone, or a batch) and then fails every one, as if the isolate running the
 * work had died at that point: nothing after it reaches the database.
 */
export function crashingD1(d1: D1Database, calls: number): D1Database & { used(): number } {
	let used = 0;
	const spend = () => {
		if (used >= calls) throw new Error("The isolate died here");
		used++;
	};
	const originals = new WeakMap<object, D1PreparedStatement>();
	const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
		const proxy = new Proxy(statement, {
			get(target, property, receiver) {
				const value = Reflect.get(target, property, receiver);
				if (typeof value !== "function") return value;
				if (property === "bind") return (...args: unknown[]) => wrap(value.apply(target, args));
				if (["all", "first", "run", "raw"].includes(String(property))) {
					return (...args: unknown[]) => {
						spend();
						return value.apply(target, args);
					};
				}
				return value.bind(target);
			},
		});
		originals.set(proxy, statement);
		return proxy;
	};
	return new Proxy(d1, {
		get(target, property, receiver) {
			if (property === "used") return () => used;
			const value = Reflect.get(target, property, receiver);
			if (property === "prepare") return (query: string) => wrap(value.call(target, query));
			if (property === "batch") {
				return (statements: D1PreparedStatement[]) => {
					spend();
					return value.call(
						target,
						statements.map((s) => originals.get(s) ?? s),
					);
				};
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	}) as D1Database & { used(): number };
}

/** A D1 binding whose batches (the writes that save work) fail while `failing()` says so; single statements work. */
export function failingBatches(d1: D1Database, failing: (statements: D1PreparedStatement[]) => boolean): D1Database {
	return new Proxy(d1, {
		get(target, property, receiver) {
			const value = Reflect.get(target, property, receiver);
			if (property === "batch") {
				return async (statements: D1PreparedStatement[]) => {
					if (failing(statements)) throw new Error("The isolate died here");
					return value.call(target, statements);
				};
			}
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}
