import { DEFAULT_EVENT_BUS, FINISHER_ENV } from '../../lib/contracts/finisher-env';
import { FinisherConfigError } from './errors';

export interface FinisherConfig {
  readonly resultsBucket: string;
  /** Name or ARN of the completion event bus. */
  readonly eventBus: string;
  readonly topicArn?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks the environment, collecting every bad variable into one error. */
export function loadConfig(env: Env): FinisherConfig {
  const errors: string[] = [];
  const resultsBucket = env[FINISHER_ENV.resultsBucket]?.trim() ?? '';
  if (!resultsBucket) errors.push(`${FINISHER_ENV.resultsBucket}: required, got nothing`);
  const topicArn = env[FINISHER_ENV.topicArn]?.trim();
  if (topicArn && !/^arn:[^:]+:sns:[^:]*:[^:]*:.+$/.test(topicArn)) {
    errors.push(`${FINISHER_ENV.topicArn}: expected an SNS topic ARN, got '${topicArn}'`);
  }
  if (errors.length > 0) {
    throw new FinisherConfigError(`invalid finisher environment: ${errors.join('; ')}`);
  }
  return {
    resultsBucket,
    eventBus: env[FINISHER_ENV.eventBus]?.trim() || DEFAULT_EVENT_BUS,
    ...(topicArn ? { topicArn } : {}),
  };
}
