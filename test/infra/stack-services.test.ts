import type { CfnTemplate } from '../../scripts/local/deploy/emulator-template';
import { templateServices } from '../../scripts/local/deploy/unsupported-resources';
import { STACK_SERVICES } from '../helpers/stack-services';
import { synthTemplate } from '../helpers/synth-stack';

describe('services of the stack', () => {
  it('declares for the suites that deploy the stack every service its template creates resources in', () => {
    // given the synthesized template
    const template = synthTemplate().toJSON() as CfnTemplate;

    // when its resources are mapped to services, with those the emulator deploy calls itself
    const needed = [...new Set([...templateServices(template), 'cloudformation', 'ssm'])].sort();

    // then the suites declare exactly those
    expect([...STACK_SERVICES].sort()).toEqual(needed);
  });
});
