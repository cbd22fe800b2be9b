/** The "map" step: JSONata mappings compiled once and cached, domain functions, limits, a worker pool, mappings as data. */
export {
  MappingEngine, toPlain,
  type CompiledMapping, type MappingContext, type MappingEngineOptions, type MappingEngineStats, type MappingEvaluator, type MappingSource,
} from './engine.ts';
export { DEFAULT_LIMITS, SLICE_MS, type MappingLimits } from './guard.ts';
export { DOMAIN_FUNCTIONS, MappingFunctionError, type DomainFunction } from './functions.ts';
export { CHINA_OFFSET, localTime, utcTime, type LocalTime } from './local-time.ts';
export { lineColumn } from './mapping-error.ts';
export { WorkerMappingPool, type WorkerPoolOptions, type WorkerPoolStats } from './worker-pool.ts';
export {
  DEFAULT_CASE_NOW, loadMapping, loadMappings, runCase, runCases,
  type CaseResult, type MappingCase, type MappingDefinition, type MappingManifest,
} from './repository.ts';
export { jsonDifferences } from './diff.ts';
