/**
 * The one door from services into federation, as GoToSocial's processors
 * hand side effects to its federator. Services import this module and
 * nothing else under `federation/` (`npm run lint` checks it):
 * - what a local action means for other servers goes out as an outbox event,
 *   fire and forget; the delivery queue's consumer turns it into activities;
 * - any other outbound HTTP request (Web Push) uses federation's one guarded
 *   fetch, and push endpoints are checked by the same address rules.
 * What needs another server's answer within a request (search with
 * `resolve=true`) is asked by the API handler, which may call both layers;
 * a service takes it as a function (`FetchRemoteUrl`), never imports it.
 * Nothing re-exported here depends on a service that imports this module.
 */
export { urlRefusal } from "./address-guard";
export { FetchError, outboundFetch } from "./fetch";
export { type OutboxEvent, publishOutboxEvent } from "./outbox/events";
