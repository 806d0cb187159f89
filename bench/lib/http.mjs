// A keep-alive HTTP client for talking to the Worker (node:http, so Host and
// Date headers of signed requests go out exactly as signed).
import { Agent, request as httpRequest } from "node:http";

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

/**
 * One request. A keep-alive connection the server closed just before it was
 * reused fails with ECONNRESET before anything was processed; that request is
 * sent again once on a new connection.
 */
export async function send(origin, request) {
	try {
		return await sendOnce(origin, request);
	} catch (error) {
		if (error?.code !== "ECONNRESET" && error?.code !== "EPIPE") throw error;
		return sendOnce(origin, { ...request, fresh: true });
	}
}

function sendOnce(origin, { method = "GET", path, headers = {}, body, fresh = false }) {
	const url = new URL(path, origin);
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const req = httpRequest(url, { method, headers, agent: fresh ? false : agent }, (res) => {
			const chunks = [];
			res.on("data", (chunk) => chunks.push(chunk));
			res.on("end", () =>
				resolve({
					status: res.statusCode,
					headers: res.headers,
					text: Buffer.concat(chunks).toString("utf8"),
					ms: performance.now() - started,
				}),
			);
			res.on("error", reject);
		});
		req.on("error", reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

export function json(response) {
	try {
		return JSON.parse(response.text);
	} catch {
		return undefined;
	}
}

export function closeClient() {
	agent.destroy();
}
