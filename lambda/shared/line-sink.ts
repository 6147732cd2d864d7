/** Where log and EMF lines go: stdout in Lambda (CloudWatch Logs), a log file locally, a buffer in tests. */
export type LineSink = (line: string) => void;

export const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};
