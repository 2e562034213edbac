// A worker_thread does not inherit tsx's loader under every runner (vitest, plain node),
// so register it here before importing the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./human-worker.ts');
