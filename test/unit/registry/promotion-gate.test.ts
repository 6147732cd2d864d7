import { decidePromotion } from '../../../container/src/registry/promotion-gate';

const metrics = (validationAccuracy: number, validationSamples = 500) => ({
  validationAccuracy,
  validationLoss: 1 - validationAccuracy,
  validationSamples,
});

describe('decidePromotion', () => {
  it('promotes the first version when there is no champion', () => {
    // given no champion / when judged / then promoted
    expect(decidePromotion(metrics(0.9), undefined, 0.01).promote).toBe(true);
  });

  it('promotes a challenger that beats the champion by more than the margin', () => {
    // given a gain of 0.02 against a margin of 0.01 / when judged
    const decision = decidePromotion(metrics(0.97), metrics(0.95), 0.01);

    // then promoted, with both accuracies in the reason
    expect(decision).toEqual({
      promote: true,
      reason: expect.stringMatching(
        /0\.9700 vs champion 0\.9500 on the same 500 held-out/,
      ) as unknown as string,
    });
  });

  it('rejects a challenger whose gain is within the margin', () => {
    // given a gain of 0.005 against a margin of 0.01 / when judged / then rejected
    expect(decidePromotion(metrics(0.955), metrics(0.95), 0.01).promote).toBe(false);
  });

  it('rejects a challenger equal to the champion even with a zero margin', () => {
    // given equal accuracy / when judged / then rejected: it must beat, not match
    expect(decidePromotion(metrics(0.95), metrics(0.95), 0).promote).toBe(false);
  });

  it('rejects a worse challenger', () => {
    // given a lower accuracy / when judged / then rejected
    expect(decidePromotion(metrics(0.5), metrics(0.95), 0).promote).toBe(false);
  });

  it('rejects a challenger without validation samples', () => {
    // given no validation samples / when judged against no champion / then rejected
    expect(decidePromotion(metrics(Number.NaN, 0), undefined, 0).promote).toBe(false);
  });
});
