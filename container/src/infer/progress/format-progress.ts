export interface ProgressSnapshot {
  readonly itemsTotal: number;
  /** Items finished, those resumed from an earlier attempt's checkpoint included. */
  readonly itemsDone: number;
  /** Items already finished when this attempt started. */
  readonly itemsResumed: number;
  /** Records scored and failed by this attempt. */
  readonly ok: number;
  readonly failed: number;
  readonly elapsedMs: number;
  /** Live tensors: flat over a healthy run, growing when something leaks. */
  readonly numTensors: number;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${two(m)}m`;
  if (m > 0) return `${m}m${two(s)}s`;
  return `${s}s`;
}

/** Records per second over this attempt. */
export function recordRate(snapshot: ProgressSnapshot): number {
  return snapshot.elapsedMs > 0 ? ((snapshot.ok + snapshot.failed) * 1000) / snapshot.elapsedMs : 0;
}

/** Time left, from this attempt's pace over objects; undefined until one object is done. */
export function estimateRemainingMs(snapshot: ProgressSnapshot): number | undefined {
  const doneNow = snapshot.itemsDone - snapshot.itemsResumed;
  if (doneNow <= 0) return undefined;
  return ((snapshot.itemsTotal - snapshot.itemsDone) * snapshot.elapsedMs) / doneNow;
}

function eta(snapshot: ProgressSnapshot): string {
  const remaining = estimateRemainingMs(snapshot);
  return remaining === undefined ? 'ETA unknown' : `ETA ${formatDuration(remaining)}`;
}

/** One plain log line, for CloudWatch Logs. */
export function formatProgressLine(snapshot: ProgressSnapshot): string {
  const records = snapshot.ok + snapshot.failed;
  return (
    `progress: ${snapshot.itemsDone}/${snapshot.itemsTotal} objects, ${records} records ` +
    `(${snapshot.ok} ok, ${snapshot.failed} failed), ${recordRate(snapshot).toFixed(1)} records/s, ` +
    `${eta(snapshot)}, ${snapshot.numTensors} tensors`
  );
}

/** A one-line bar redrawn in place on a terminal. */
export function formatProgressBar(snapshot: ProgressSnapshot, width: number): string {
  const fraction = snapshot.itemsTotal > 0 ? snapshot.itemsDone / snapshot.itemsTotal : 1;
  const filled = Math.round(fraction * width);
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
    `${snapshot.itemsDone}/${snapshot.itemsTotal} objects, ${snapshot.failed} failed, ` +
    `${recordRate(snapshot).toFixed(0)} rec/s, ${eta(snapshot)}`
  );
}
