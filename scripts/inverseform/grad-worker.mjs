// Entry of the gradient worker threads: Node does not apply the parent's --import loaders (tsx and the
// extensionless-import hook) inside worker_threads, so register them here before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('../lib/register-hooks.mjs');
await import('./grad-worker.ts');
