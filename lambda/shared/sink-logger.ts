import { Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions } from '@aws-lambda-powertools/logger/types';
import { LineSink, stdoutSink } from './line-sink';

/**
 * Powertools Logger whose JSON lines go to a sink: stdout in Lambda, as Powertools writes them,
 * but the local runtime's log file when it plays Lambda in a process whose stdout is its own.
 * Powertools prints through a Console of its own that no option replaces; printLog and
 * createLogger are its extension points for this (so children made by createChild keep it).
 */
export class SinkLogger extends Logger {
  constructor(
    private readonly sink: LineSink = stdoutSink,
    options: ConstructorOptions = {},
  ) {
    super(options);
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    this.sink(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }

  protected override createLogger(options?: ConstructorOptions): SinkLogger {
    return new SinkLogger(this.sink, options);
  }
}
