import { RegistryDataError } from '../../../container/src/registry/errors';
import { asChampion, asMetadata } from '../../../container/src/registry/registry-records';

describe('registry records', () => {
  it('accepts a champion pointer that follows the contract', () => {
    // given a valid pointer / when checked / then returned as is
    const pointer = { schemaVersion: 1, name: 'm', version: 'v1', updatedAt: 'now' };
    expect(asChampion(pointer, 'champion.json')).toBe(pointer);
  });

  it('rejects a pointer of another schema version, naming the object', () => {
    // given schemaVersion 2 / when checked / then the object and field are named
    expect(() =>
      asChampion({ schemaVersion: 2, name: 'm', version: 'v1', updatedAt: 'now' }, 'champion.json'),
    ).toThrow(new RegistryDataError('champion.json: schemaVersion 2, expected 1'));
  });

  it('rejects metadata without labels', () => {
    // given metadata lacking labels / when checked / then the fields are named
    const metadata = {
      schemaVersion: 1,
      name: 'm',
      version: 'v1',
      format: 'layers',
      createdAt: 'now',
      input: { kind: 'features', size: 2 },
    };
    expect(() => asMetadata(metadata, 'metadata.json')).toThrow(
      /labels: expected a non-empty array of strings/,
    );
  });
});
