// Entry of a mapping worker thread: registers tsx so the thread can load the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./mapping-worker.ts');
