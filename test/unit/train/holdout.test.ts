import { isHeldOut } from '../../../container/src/train/holdout';

describe('isHeldOut', () => {
  it('puts the same id in the same split every time', () => {
    // given one id / when asked twice / then the answers agree
    expect(isHeldOut('training/digits/3/a.png', 0.2)).toBe(
      isHeldOut('training/digits/3/a.png', 0.2),
    );
  });

  it('holds out about the configured fraction of many ids', () => {
    // given 10,000 distinct ids
    const ids = Array.from({ length: 10000 }, (_, i) => `training/x/${i % 10}/${i}.png`);

    // when split at 20%
    const heldOut = ids.filter((id) => isHeldOut(id, 0.2)).length;

    // then close to 2,000 are held out
    expect(heldOut / ids.length).toBeGreaterThan(0.18);
    expect(heldOut / ids.length).toBeLessThan(0.22);
  });

  it('keeps every id held out at a smaller fraction held out at a larger one', () => {
    // given ids held out at 10% / when the fraction grows to 30% / then they stay held out
    const ids = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    const small = ids.filter((id) => isHeldOut(id, 0.1));
    expect(small.every((id) => isHeldOut(id, 0.3))).toBe(true);
  });
});

describe('isHeldOut on record ids', () => {
  it('holds out records of one file that differ only in their line number', () => {
    // given 100 lines of one JSONL file
    const ids = Array.from({ length: 100 }, (_, i) => `training/risk/a.jsonl#${i + 1}`);

    // when split at 20% / then some, but not most, are held out
    const heldOut = ids.filter((id) => isHeldOut(id, 0.2)).length;
    expect(heldOut).toBeGreaterThan(10);
    expect(heldOut).toBeLessThan(30);
  });
});
