import { BATCHER_SERVICE } from '../../../lib/contracts/batcher-metrics';
import { SinkLogger } from '../../../lambda/shared/sink-logger';
import { ProgressPrinter } from '../../../scripts/demo/progress-printer';

/** The batcher's own logger writing into a printer, as the demo's local runtime wires them. */
function batcherIntoPrinter(): { logger: SinkLogger; printed: string[] } {
  const printed: string[] = [];
  const printer = new ProgressPrinter((line) => printed.push(line.replace(/^\[\s*[\d.]+s\] /, '')));
  const logger = new SinkLogger((line) => printer.batcherLine(line), {
    serviceName: BATCHER_SERVICE,
  });
  return { logger, printed };
}

describe('ProgressPrinter.batcherLine', () => {
  it("prints the batcher's batch-closed and job-submitted lines as Powertools writes them", () => {
    // given the batcher's logger feeding the demo's printer
    const { logger, printed } = batcherIntoPrinter();

    // when the batcher closes a batch and submits its job
    logger.info('batch closed', { batchId: 'b1', reason: 'max-wait' });
    logger.info('job submitted', {
      batchId: 'b1',
      jobName: 'infer-b1',
      fileCount: 305,
      shardCount: 4,
    });

    // then both are printed with their facts
    expect(printed).toEqual([
      'batcher: batch b1 closed (max-wait)',
      'batcher: job infer-b1 submitted for batch b1: 305 files in 4 shards',
    ]);
  });

  it('prints warnings and errors with their cause and leaves routine lines out', () => {
    // given the batcher's logger feeding the demo's printer
    const { logger, printed } = batcherIntoPrinter();

    // when it logs a routine line, a warning and an error
    logger.info('batch opened', { batchId: 'b2' });
    logger.warn('message is not a valid S3 event notification; left for redelivery and the DLQ');
    logger.error('items not buffered; their messages are retried', {
      error: new Error('throttled'),
    });

    // then only the warning and the error are printed
    expect(printed).toEqual([
      'batcher warn: message is not a valid S3 event notification; left for redelivery and the DLQ',
      'batcher error: items not buffered; their messages are retried (throttled)',
    ]);
  });
});
