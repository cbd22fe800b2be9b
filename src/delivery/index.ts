/** Delivery: subscriptions, routing, the queues and their workers, dead letters, pauses, breakers and rate limits. */
export { CircuitBreakers, type CircuitState } from './breaker.ts';
export * from './dead-letters.ts';
export * from './jobs.ts';
export { PausableFeedService, PauseStore, type PauseSource } from './pauses.ts';
export { RateLimits } from './rate-limit.ts';
export { deliveryRouter } from './routes.ts';
export { Delivery, type DeliveryDeps } from './service.ts';
export * from './subscriptions.ts';
export { DELIVERY_MIGRATIONS, type DeliveryTables } from './tables.ts';
export { RedisCircuitBreakers, RedisRateLimits, SharedGuardsConnection, type Breakers, type Limits } from './shared-guards.ts';
