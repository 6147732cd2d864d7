/**
 * AWS list prices the cost model uses, us-east-1, Linux, USD. Each carries where it was read
 * and when, because prices change: re-check them before relying on the numbers.
 */

/** The date these prices were looked up (and cross-checked between the sources named). */
export const PRICES_CHECKED_ON = '2026-11-26';

export interface SourcedPrice {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
}

export const GPU_INSTANCE_TYPES = ['g4dn.xlarge', 'g5.xlarge', 'g6.xlarge'] as const;
export type GpuInstanceType = (typeof GPU_INSTANCE_TYPES)[number];

export interface GpuInstancePrice {
  readonly gpu: string;
  readonly onDemandPerHour: SourcedPrice;
}

const EC2_PRICING_PAGE = 'aws.amazon.com/ec2/pricing/on-demand (us-east-1, Linux)';

export const GPU_PRICES: Readonly<Record<GpuInstanceType, GpuInstancePrice>> = {
  'g4dn.xlarge': {
    gpu: 'NVIDIA T4 16 GB',
    onDemandPerHour: {
      usd: 0.526,
      unit: 'per instance-hour',
      source: `${EC2_PRICING_PAGE}; same figure in lillytechsystems.com GPU cost comparison (2025 prices)`,
    },
  },
  'g5.xlarge': {
    gpu: 'NVIDIA A10G 24 GB',
    onDemandPerHour: {
      usd: 1.006,
      unit: 'per instance-hour',
      source: `${EC2_PRICING_PAGE}; factualminds.com "EC2 On-Demand pricing" (June 2026)`,
    },
  },
  'g6.xlarge': {
    gpu: 'NVIDIA L4 24 GB',
    onDemandPerHour: {
      usd: 0.8048,
      unit: 'per instance-hour',
      source: `${EC2_PRICING_PAGE}; the same rate appears in several public price tables (2025-2026)`,
    },
  },
};

/**
 * Spot prices move every few minutes per Availability Zone, so there is no single list price.
 * The model uses one stated discount off on-demand: 60% is the typical figure quoted for GPU
 * spot capacity ("50-90%"; AWS says "up to 90%"). Pass --spot-discount to use a current quote
 * from `aws ec2 describe-spot-price-history`.
 */
export const TYPICAL_SPOT_DISCOUNT: SourcedPrice = {
  usd: 0.6,
  unit: 'fraction off on-demand',
  source:
    'assumption: lillytechsystems.com GPU cost optimisation ("typically 60%, 50-90%"); aws.amazon.com/ec2/spot/pricing ("up to 90%")',
};

export interface ServicePrices {
  readonly lambdaPerMillionRequests: SourcedPrice;
  readonly lambdaPerGbSecond: SourcedPrice;
  readonly sqsPerMillionRequests: SourcedPrice;
  readonly s3PutPerThousand: SourcedPrice;
  readonly s3GetPerThousand: SourcedPrice;
  readonly dynamoPerMillionWrites: SourcedPrice;
  readonly dynamoPerMillionReads: SourcedPrice;
  readonly natGatewayPerHour: SourcedPrice;
}

export const SERVICE_PRICES: ServicePrices = {
  lambdaPerMillionRequests: {
    usd: 0.2,
    unit: 'per million invocations',
    source: 'docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html',
  },
  lambdaPerGbSecond: {
    usd: 0.0000166667,
    unit: 'per GB-second (x86)',
    source: 'aws.amazon.com/lambda/pricing (first 6 billion GB-s/month, x86)',
  },
  sqsPerMillionRequests: {
    usd: 0.4,
    unit: 'per million requests (standard queue, each 64 KB chunk)',
    source: 'factualminds.com "Amazon SQS pricing" (June 2026); cloudburn.io (March 2026)',
  },
  s3PutPerThousand: {
    usd: 0.005,
    unit: 'per 1,000 PUT/COPY/POST/LIST (S3 Standard)',
    source: 'aws.amazon.com/s3/pricing; c3x.dev "S3 request fees explained"',
  },
  s3GetPerThousand: {
    usd: 0.0004,
    unit: 'per 1,000 GET/HEAD (S3 Standard)',
    source: 'aws.amazon.com/s3/pricing; c3x.dev "S3 request fees explained"',
  },
  dynamoPerMillionWrites: {
    usd: 0.625,
    unit: 'per million write request units (on-demand)',
    source: 'aws.amazon.com/dynamodb/pricing/on-demand; airbyte.com DynamoDB pricing guide',
  },
  dynamoPerMillionReads: {
    usd: 0.125,
    unit: 'per million read request units (on-demand)',
    source: 'aws.amazon.com/dynamodb/pricing/on-demand; airbyte.com DynamoDB pricing guide',
  },
  natGatewayPerHour: {
    usd: 0.045,
    unit: 'per NAT gateway-hour (plus $0.045/GB processed)',
    source: 'aws.amazon.com/vpc/pricing; basavytix.com and cloudburn.io NAT gateway pricing (2026)',
  },
};
