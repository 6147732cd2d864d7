import { manifestLocation } from '../../../lambda/finisher/manifest-location';

describe('manifestLocation', () => {
  it('gives the batch id of a manifest in the results bucket', () => {
    expect(manifestLocation('s3://res/manifests/b-1/manifest.json', 'res')).toEqual({
      bucket: 'res',
      key: 'manifests/b-1/manifest.json',
      batchId: 'b-1',
    });
  });

  it('refuses a manifest in another bucket: the job is not this pipeline’s', () => {
    expect(() => manifestLocation('s3://other/manifests/b-1/manifest.json', 'res')).toThrow(
      "s3://other/manifests/b-1/manifest.json is not in the results bucket res; the job is not this pipeline's",
    );
  });

  it('refuses any other key of the results bucket', () => {
    for (const key of [
      'results/b-1/manifest.json',
      'manifests/b-1/x/manifest.json',
      'manifests/b-1/other.json',
    ]) {
      expect(() => manifestLocation(`s3://res/${key}`, 'res')).toThrow(
        expect.objectContaining({
          name: 'NotOurJobError',
          message: expect.stringContaining('is not a batch manifest key'),
        }),
      );
    }
  });

  it('refuses what is not an s3:// URL', () => {
    expect(() => manifestLocation('https://res/manifests/b/manifest.json', 'res')).toThrow(
      'detail.parameters.manifest: not an s3:// URL',
    );
  });
});
