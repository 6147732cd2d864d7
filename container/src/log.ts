/** One timestamped line on stdout; AWS Batch sends container output to CloudWatch Logs. */
export function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}
