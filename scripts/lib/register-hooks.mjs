// Loaded with `node --import` before tsx: see extensionless-hook.mjs.
import { register } from 'node:module';

register('./extensionless-hook.mjs', import.meta.url);
