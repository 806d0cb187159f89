export function quantile(values, q) {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
	return sorted[index];
}

export const median = (values) => quantile(values, 0.5);
export const p99 = (values) => quantile(values, 0.99);
export const max = (values) => (values.length === 0 ? null : Math.max(...values));
export const mean = (values) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

export function round(value, digits = 2) {
	return value === null || value === undefined ? null : Number(value.toFixed(digits));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
