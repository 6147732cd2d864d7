import { s3Client } from '../../../lib/contracts/aws-clients';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { INFER_DEFAULTS } from '../../../container/src/infer/infer-options';
import { getObjectsWithSdk } from '../../../container/src/infer/input/download-object';
import { windowBytes } from '../../../container/src/infer/pipeline/window-bytes';
import { runShard } from '../../../container/src/infer/run-shard';
import { loadScorer, Scorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { inputShape } from '../../../container/src/model/validate-metadata';
import { benchInputs } from '../../../scripts/bench/shared/bench-inputs';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';
import { buildManifest, uploadInputs } from '../../helpers/worker-batch-fixture';
import { DIGITS_INPUT, publishDigitsChampion } from '../../helpers/worker-model-fixture';

jest.setTimeout(120_000);

const s3 = s3Client();
const OBJECTS = 120;
/** Objects the byte budget below is sized for. */
const WINDOW = 8;

describeOnEmulator(['s3'], 'the read-ahead window', () => {
  it('counts each object by its decoded record too, so --prefetch-bytes bounds decoded memory', async () => {
    // given 120 small digit PNGs (a few hundred bytes each, 3,136 bytes once decoded) and a
    // byte budget of 8 objects counted with their decoded records
    await selectBackend('infer', () => undefined);
    const [models, inputs, results] = await Promise.all([
      createBucket(s3),
      createBucket(s3),
      createBucket(s3),
    ]);
    await publishDigitsChampion(s3, models);
    const pngs = benchInputs(OBJECTS, DIGITS_INPUT).pngs;
    const items = await uploadInputs(
      s3,
      inputs,
      pngs.map((body, i) => ({ key: `digits/${i}.png`, body })),
    );
    const model = await resolveModel(s3, models, { name: 'digits' });
    const shape = inputShape(model.metadata);
    const largest = Math.max(...items.map((item) => windowBytes(item, shape)));
    const loaded = await loadScorer(model, s3);
    // The worker's client, counting its GETs: on the SDK's GetObject, whose middleware sees each
    // (the window is the same whichever path reads).
    const worker = getObjectsWithSdk(s3Client());
    let gets = 0;
    worker.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand') gets++;
        return next(args);
      },
      { step: 'initialize' },
    );
    // The model's first call waits, as a slow model does, while the window fills.
    let getsWhileFirstBatchScored = -1;
    const scorer: Scorer = {
      score: async (batch) => {
        if (getsWhileFirstBatchScored < 0) {
          await new Promise((resolve) => setTimeout(resolve, 1500));
          getsWhileFirstBatchScored = gets;
        }
        return loaded.score(batch);
      },
      dispose: () => loaded.dispose(),
    };

    // when the shard runs one record per model call
    const summary = await runShard({
      s3: worker,
      manifest: buildManifest('window-bytes', { name: 'digits' }, items),
      model,
      scorer,
      backend: 'test',
      log: () => undefined,
      stop: new AbortController().signal,
      options: {
        ...INFER_DEFAULTS,
        shard: 0,
        resultsBucket: results,
        batchSize: 1,
        prefetchBytes: WINDOW * largest,
        maxErrorFraction: 0,
        progressSeconds: 3600,
      },
    });
    scorer.dispose();

    // then every digit was scored, and while the model worked on the first, the worker had
    // fetched no more than the budget's 8 objects past it (by manifest sizes alone, all 120)
    expect(summary.counts.ok).toBe(OBJECTS);
    expect(getsWhileFirstBatchScored).toBeGreaterThan(0);
    expect(getsWhileFirstBatchScored).toBeLessThanOrEqual(WINDOW + 1);
  });
});
