export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where JSON lines go: stdout in Lambda (CloudWatch Logs), a buffer in tests. */
export type LineSink = (line: string) => void;

export const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Structured JSON logs; `fields` carries the batch id, counts, and the reason of a skip. */
export class Logger {
  constructor(
    private readonly sink: LineSink = stdoutSink,
    private readonly context: Readonly<Record<string, unknown>> = {},
  ) {}

  with(fields: Readonly<Record<string, unknown>>): Logger {
    return new Logger(this.sink, { ...this.context, ...fields });
  }

  log(level: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}): void {
    this.sink(
      JSON.stringify({
        level,
        timestamp: new Date().toISOString(),
        message,
        ...this.context,
        ...fields,
      }),
    );
  }

  info(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('info', message, fields);
  }

  warn(message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.log('warn', message, fields);
  }

  error(message: string, error: unknown, fields?: Readonly<Record<string, unknown>>): void {
    const e = error as Error;
    this.log('error', message, { ...fields, error: { name: e?.name, message: e?.message } });
  }
}
