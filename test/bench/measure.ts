// Timing and heap figures for one benchmark case: one warm-up solve (which also yields the result the tables
// report, and the heap figure), then timed solves until a time budget is spent, reported as the median.
// Peak heap: the heap's high-water mark during the warm-up solve above its size after a full GC just before it.
// The heap peaks right before each collection, so V8's GC profiler (heap size before every GC) plus the size at
// the end gives the high-water mark without sampling inside the synchronous solve.

import { GCProfiler, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Enables `gc()` without a command-line flag, so `npm run bench` needs no `--expose-gc`. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const gc = exposeGc();

export interface MeasureOptions {
  /** Keep timing until this much time is spent (the median of several solves is steadier than one). */
  readonly budgetMs: number;
  readonly maxRuns: number;
}

export interface Measurement<T> {
  /** What the warm-up solve returned. */
  readonly result: T;
  readonly medianMs: number;
  readonly runs: number;
  /** Heap high-water mark of the warm-up solve above the heap before it, in bytes. */
  readonly heapPeakBytes: number;
}

const MB = 1024 * 1024;
export const toMB = (bytes: number): number => bytes / MB;

export function measure<T>(solve: () => T, options: MeasureOptions): Measurement<T> {
  const warm = heapRun(solve);
  const times: number[] = [];
  let spent = 0;
  while (times.length < options.maxRuns && (times.length === 0 || spent + median(times) <= options.budgetMs)) {
    gc();
    const start = performance.now();
    solve();
    const ms = performance.now() - start;
    times.push(ms);
    spent += ms;
  }
  return { result: warm.result, medianMs: median(times), runs: times.length, heapPeakBytes: warm.peakBytes };
}

function heapRun<T>(solve: () => T): { result: T; peakBytes: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const profiler = new GCProfiler();
  profiler.start();
  const result = solve();
  const end = process.memoryUsage().heapUsed;
  const collections = profiler.stop()?.statistics ?? [];
  const peak = Math.max(end, ...collections.map((c) => c.beforeGC.heapStatistics.usedHeapSize));
  return { result, peakBytes: peak - before };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
