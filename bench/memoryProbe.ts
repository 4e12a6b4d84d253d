/**
 * Loaded into each benchmarked server with `--import`, for the benchmark to talk to it over IPC:
 * 'memory' answers process.memoryUsage(), 'memory-after-gc' does so after a full collection (the
 * servers run with --expose-gc) to show what is live rather than garbage, 'cpu' answers
 * process.cpuUsage() (every thread of the process: the main one, GC and libuv's), and 'exit' ends
 * the process normally, so that a CPU profile gets written.
 */
process.on('message', (message) => {
  if (message === 'exit') process.exit(0);
  if (message === 'cpu') process.send?.(process.cpuUsage());
  if (message !== 'memory' && message !== 'memory-after-gc') return;
  if (message === 'memory-after-gc') globalThis.gc?.();
  process.send?.(process.memoryUsage());
});
