/**
 * The data page's script, served from this site (the page's CSP allows
 * nothing else): it polls running imports for the progress bar, and sends an
 * archive to R2 as a multipart upload, part by part, so a file of gigabytes
 * never has to fit one request. A part that fails is tried again.
 */
export const DATA_PAGE_SCRIPT = `"use strict";
(() => {
	const root = document.querySelector("[data-csrf]");
	if (!root) return;
	const csrf = root.getAttribute("data-csrf");
	const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

	async function poll(box) {
		const id = box.getAttribute("data-import");
		const bar = box.querySelector("progress");
		const label = box.querySelector(".progress-label");
		for (;;) {
			let progress;
			try {
				const response = await fetch("/settings/data/imports/" + encodeURIComponent(id), { headers: { Accept: "application/json" } });
				progress = await response.json();
			} catch {
				await sleep(2000);
				continue;
			}
			bar.value = progress.percent;
			label.textContent = progress.percent + " % (" + progress.processed_items + " of " + progress.total_items + ")";
			if (progress.state === "done" || progress.state === "failed") {
				box.setAttribute("data-state", progress.state);
				await sleep(500);
				location.replace("/settings/data?import=" + encodeURIComponent(id));
				return;
			}
			await sleep(1000);
		}
	}
	for (const box of document.querySelectorAll("[data-import]")) poll(box);

	const form = document.getElementById("archive-form");
	if (!form) return;
	const status = document.getElementById("archive-status");
	const bar = document.getElementById("archive-upload");
	const say = (text) => { status.textContent = text; };
	const send = async (url, init) => {
		for (let attempt = 1; ; attempt++) {
			try {
				const response = await fetch(url, init);
				if (response.ok || response.status < 500 || attempt >= 4) return response;
			} catch (error) {
				if (attempt >= 4) throw error;
			}
			await sleep(1000 * attempt);
		}
	};
	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		const file = form.querySelector("input[type=file]").files[0];
		if (!file) { say("Choose the archive first."); return; }
		const headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf };
		const started = await send("/settings/data/archive/uploads", { method: "POST", headers, body: JSON.stringify({ filename: file.name, size: file.size }) });
		const upload = await started.json();
		if (!started.ok) { say(upload.error || "The upload could not start."); return; }
		bar.hidden = false;
		const parts = [];
		for (let n = 1; n <= upload.parts; n++) {
			const blob = file.slice((n - 1) * upload.part_size, n * upload.part_size);
			const response = await send("/settings/data/archive/uploads/" + upload.id + "/parts/" + n, { method: "PUT", headers: { "X-CSRF-Token": csrf }, body: blob });
			const part = await response.json();
			if (!response.ok) { say(part.error || "A part of the upload failed; try again."); return; }
			parts.push(part);
			bar.value = Math.floor((n * 100) / upload.parts);
			say("Uploading: " + bar.value + " %");
		}
		const done = await send("/settings/data/archive/uploads/" + upload.id + "/complete", { method: "POST", headers, body: JSON.stringify({ parts }) });
		if (!done.ok) { say((await done.json()).error || "The upload could not be finished."); return; }
		location.assign("/settings/data?import=" + encodeURIComponent(upload.id));
	});
})();
`;
