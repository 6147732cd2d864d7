/**
 * Runs writes one at a time in the background, so they overlap compute, while keeping them in
 * order (checkpoint parts must land in item order for resume to find a gap-free prefix).
 * `submit` waits for the previous write, which also bounds the memory held by queued writes.
 */
export class SerialWriter {
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown;

  async submit(write: () => Promise<void>): Promise<void> {
    await this.drain();
    this.inFlight = write().catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Waits for the write in flight; throws if any write failed. */
  async drain(): Promise<void> {
    await this.inFlight;
    if (this.failure !== undefined) throw this.failure;
  }
}
