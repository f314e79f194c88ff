// Breaks that let queued work run between two pieces of a long computation (the one MessageChannel yield).

/** A macrotask break (MessageChannel): queued messages (a cancel, a newer request) are handled before it resolves. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

/** Lets the browser handle queued input between two losses (scheduler.yield, else a macrotask break). */
export function yieldToEvents(): Promise<void> {
  const sched = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (sched?.yield) return sched.yield();
  return macrotask();
}
