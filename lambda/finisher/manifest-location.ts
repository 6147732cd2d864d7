import { RESULTS_PREFIXES, resultKeys } from '../../lib/contracts/keys';
import { parseS3Url } from '../../lib/contracts/s3-location';
import { NotOurJobError } from './errors';

export interface ManifestLocation {
  readonly bucket: string;
  readonly key: string;
  readonly batchId: string;
}

/**
 * The batch a job ran, from its manifest URL: the batcher writes manifests only to
 * `manifests/<batch-id>/manifest.json` of the results bucket, so any other URL is a job that
 * is not this pipeline's (and the finisher may read nothing else).
 */
export function manifestLocation(manifestUrl: string, resultsBucket: string): ManifestLocation {
  let location: { bucket: string; key: string };
  try {
    location = parseS3Url(manifestUrl);
  } catch (error) {
    throw new NotOurJobError(`detail.parameters.manifest: ${(error as Error).message}`);
  }
  if (location.bucket !== resultsBucket) {
    throw new NotOurJobError(
      `detail.parameters.manifest: ${manifestUrl} is not in the results bucket ${resultsBucket}; the job is not this pipeline's`,
    );
  }
  const match = new RegExp(`^${RESULTS_PREFIXES.manifests}([^/]+)/manifest\\.json$`).exec(
    location.key,
  );
  if (!match || resultKeys.manifest(match[1]) !== location.key) {
    throw new NotOurJobError(
      `detail.parameters.manifest: ${manifestUrl} is not a batch manifest key (expected ${resultKeys.manifest('<batch-id>')})`,
    );
  }
  return { ...location, batchId: match[1] };
}
