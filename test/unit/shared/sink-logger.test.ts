import { SinkLogger } from '../../../lambda/shared/sink-logger';

function recorder(): { logger: SinkLogger; lines: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = new SinkLogger((line) => lines.push(line), { serviceName: 'batcher' });
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('SinkLogger', () => {
  it("writes Powertools' JSON lines, with its service, to its sink", () => {
    // given a logger on a buffer
    const { logger, lines } = recorder();

    // when a line is logged with fields
    logger.info('batch closed', { batchId: 'b1', reason: 'max-files' });

    // then the line carries Powertools' standard keys and the fields
    expect(lines()).toEqual([
      {
        level: 'INFO',
        message: 'batch closed',
        service: 'batcher',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        sampling_rate: 0,
        batchId: 'b1',
        reason: 'max-files',
      },
    ]);
  });

  it('gives its children the same sink, with their own keys added to the parent ones', () => {
    // given a logger with an invocation id, and a child of it for one batch
    const { logger, lines } = recorder();
    const invocation = logger.createChild({ persistentKeys: { invocationId: 'i1' } });
    const batch = invocation.createChild({ persistentKeys: { batchId: 'b1' } });

    // when the child logs
    batch.warn('submit lease not released');

    // then its line reaches the same sink with both keys
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'WARN', invocationId: 'i1', batchId: 'b1' }),
    ]);
  });

  it('writes an error with its name and message', () => {
    // given a logger
    const { logger, lines } = recorder();

    // when an error is logged as a field
    logger.error('sweep failed', { batchId: 'b1', error: new RangeError('too many') });

    // then the error is serialised with its name and message
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        batchId: 'b1',
        error: expect.objectContaining({ name: 'RangeError', message: 'too many' }),
      }),
    ]);
  });
});
