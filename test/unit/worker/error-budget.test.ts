import { errorBudgetViolation } from '../../../container/src/infer/pipeline/error-budget';

describe('errorBudgetViolation', () => {
  it('accepts a failed fraction equal to the budget', () => {
    // given 10 failed of 100 and a 10% budget
    // when / then
    expect(errorBudgetViolation({ ok: 90, failed: 10 }, { BAD_ROW: 10 }, 0.1)).toBeUndefined();
  });

  it('explains a failed fraction above the budget with counts by code, largest first', () => {
    // given 11 failed of 100 and a 10% budget
    // when
    const violation = errorBudgetViolation(
      { ok: 89, failed: 11 },
      { BAD_ROW: 3, DECODE_FAILED: 8 },
      0.1,
    );
    // then
    expect(violation).toBe(
      '11 of 100 records failed (11.0%), above the error budget of 10.0% (--max-error-fraction); by code: DECODE_FAILED 8, BAD_ROW 3',
    );
  });

  it('accepts a shard without records', () => {
    // given an empty shard and a zero budget
    // when / then
    expect(errorBudgetViolation({ ok: 0, failed: 0 }, {}, 0)).toBeUndefined();
  });

  it('fails any error under a zero budget', () => {
    // given one failure of 1000
    // when / then
    expect(errorBudgetViolation({ ok: 999, failed: 1 }, { BAD_SHAPE: 1 }, 0)).toMatch(/^1 of 1000/);
  });
});
