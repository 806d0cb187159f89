import { createServer, type Server } from "node:net";

function listenOnAnyPort(): Promise<Server> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => resolve(server));
	});
}

/**
 * `count` distinct loopback ports nothing listens on right now, for tests that
 * start servers (Node tests only). Asking the system for port 0 avoids fixed
 * ports that fail whenever something else on the machine holds them; all are
 * held until every one is known, so no two are the same.
 */
export async function freePorts(count: number): Promise<number[]> {
	const servers = await Promise.all(Array.from({ length: count }, listenOnAnyPort));
	const ports = servers.map((server) => (server.address() as { port: number }).port);
	await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
	return ports;
}

export async function freePort(): Promise<number> {
	return (await freePorts(1))[0] as number;
}
