// The five-field cron expressions of wrangler.toml's [triggers] (minute hour
// day-of-month month day-of-week, in UTC as Cloudflare runs them), so that
// `npm run dev` can fire `scheduled` on the production schedule. Supports
// `*`, numbers, ranges, lists and steps (`*/10`, `1-5`, `0,30`, `8-18/2`);
// day-of-month and day-of-week combine as in cron (either, when both are set).

const FIELDS = [
	{ min: 0, max: 59 },
	{ min: 0, max: 23 },
	{ min: 1, max: 31 },
	{ min: 1, max: 12 },
	{ min: 0, max: 7 },
];

function parseField(text, { min, max }) {
	const values = new Set();
	for (const part of text.split(",")) {
		const [range, stepText] = part.split("/");
		const step = stepText === undefined ? 1 : Number(stepText);
		let [from, to] = range === "*" ? [min, max] : range.split("-").map(Number);
		if (to === undefined) to = stepText === undefined ? from : max;
		if (![from, to, step].every(Number.isInteger) || step < 1 || from < min || to > max || from > to) {
			throw new Error(`Unsupported cron field "${text}"`);
		}
		for (let value = from; value <= to; value += step) values.add(value);
	}
	return values;
}

/** Parses a cron expression into a matcher of UTC dates; throws on what it does not support. */
export function parseCron(expression) {
	const texts = expression.trim().split(/\s+/);
	if (texts.length !== 5) throw new Error(`A cron expression has five fields: "${expression}"`);
	const [minutes, hours, days, months, weekdays] = texts.map((text, i) => parseField(text, FIELDS[i]));
	if (weekdays.has(7)) weekdays.add(0);
	const anyDay = texts[2] === "*";
	const anyWeekday = texts[4] === "*";
	return (date) => {
		const dayMatches = days.has(date.getUTCDate());
		const weekdayMatches = weekdays.has(date.getUTCDay());
		const day = anyDay || anyWeekday ? dayMatches && weekdayMatches : dayMatches || weekdayMatches;
		return (
			minutes.has(date.getUTCMinutes()) && hours.has(date.getUTCHours()) && months.has(date.getUTCMonth() + 1) && day
		);
	};
}

/** The crons of a wrangler.toml's [triggers] table. */
export function cronsOf(wranglerToml) {
	const triggers = /^\[triggers\][^[]*?^\s*crons\s*=\s*\[([^\]]*)\]/ms.exec(wranglerToml);
	return triggers ? [...triggers[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [];
}

/**
 * Calls `fire(cron)` at the start of every minute a cron matches, until the
 * returned function is called.
 */
export function runOnSchedule(crons, fire, now = () => new Date()) {
	const matchers = crons.map((cron) => [cron, parseCron(cron)]);
	let timer;
	const arm = () => {
		const current = now();
		const next = new Date(Math.floor(current.getTime() / 60_000) * 60_000 + 60_000);
		timer = setTimeout(() => {
			for (const [cron, matches] of matchers) if (matches(next)) fire(cron);
			arm();
		}, next.getTime() - current.getTime());
		timer.unref?.();
	};
	if (matchers.length > 0) arm();
	return () => clearTimeout(timer);
}
