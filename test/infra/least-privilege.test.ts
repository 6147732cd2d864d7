import { Template } from 'aws-cdk-lib/assertions';
import { actionsOf, identityStatements } from '../helpers/policy-statements';
import { synthTemplate } from '../helpers/synth-stack';

let template: Template;
beforeAll(() => {
  template = synthTemplate();
});

describe('least privilege across the stack', () => {
  it('grants ListBucket only with an s3:prefix condition', () => {
    // given every identity statement that allows listing a bucket
    const listing = identityStatements(template).filter(({ statement }) =>
      actionsOf(statement).some((action) => /^s3:(List\*?|ListBucket|\*)$/.test(action)),
    );
    expect(listing.length).toBeGreaterThan(0);

    // then each is exactly ListBucket, limited to the prefixes of the role's work
    for (const { policy, statement } of listing) {
      expect({ policy, actions: actionsOf(statement) }).toEqual({
        policy,
        actions: ['s3:ListBucket'],
      });
      expect({ policy, prefix: statement.Condition?.StringLike?.['s3:prefix'] }).toEqual({
        policy,
        prefix: [expect.stringMatching(/^[a-z]+\/\*$/)],
      });
    }
  });
});
