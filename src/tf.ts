// The one place the library imports TensorFlow.js from.
// We depend on tfjs-core (not the @tensorflow/tfjs umbrella: ~90 kB gzip smaller, see README) and register
// every gradient so that tf.grad works on whichever backend the caller registers.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';

export { tf };
