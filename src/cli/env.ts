/** The bindings the CLI needs: the database, the settings, the queues and where keys get made. */
export type CliEnv = Pick<
	Env,
	| "DB"
	| "JOBS_QUEUE"
	| "DELIVERY_QUEUE"
	| "INBOX_QUEUE"
	| "MEDIA"
	| "INSTANCE_DOMAIN"
	| "INSTANCE_SCHEME"
	| "INSTANCE_TITLE"
	| "INSTANCE_DESCRIPTION"
	| "INSTANCE_CONTACT_EMAIL"
	| "REGISTRATION_MODE"
	| "ALLOW_PRIVATE_ADDRESSES"
> & { KEY_ENCRYPTION_SECRET?: string };

export interface CliIo {
	out: (line: string) => void;
	err: (line: string) => void;
	/** Reads a local file (the CLI bundle itself has no file system access). */
	readFile?: (path: string) => Promise<Uint8Array>;
	/**
	 * The queues cannot reach the server (local state: a running dev server
	 * has queues of its own): messages are held in D1 for the server to send.
	 */
	holdQueueMessages?: boolean;
}
