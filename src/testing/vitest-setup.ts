// Runs before every unit-test file. The files of a worker share one module graph (isolate: false in
// vitest.config.ts), so a file that set the wasm backend would otherwise leave it active for the next file:
// each file starts on the cpu (reference) backend, as it did in a process of its own.
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf';

if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
