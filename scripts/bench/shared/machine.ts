import { cpus, loadavg, totalmem } from 'node:os';

/** The machine a benchmark ran on, as the docs cite it, with the load it shared. */
export function machine(): string {
  const cores = cpus();
  return `${cores.length} x ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB (shared with other work while measured: load average ${loadavg()[0].toFixed(1)} when the docs were written)`;
}
