import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonCandidates } from '../../../scripts/local/emulator/localstack-server';

describe('where the LocalStack run looks for Python 3.13', () => {
  it('tries LOCALSTACK_PYTHON, then the newest pyenv 3.13 first, then python3.13 on PATH', () => {
    // given a pyenv with two 3.13 releases and a 3.12
    const root = mkdtempSync(join(tmpdir(), 'pyenv-'));
    for (const version of ['3.12.1', '3.13.2', '3.13.10']) {
      mkdirSync(join(root, 'versions', version, 'bin'), { recursive: true });
    }

    // when the candidates are listed
    const candidates = pythonCandidates({
      PYENV_ROOT: root,
      LOCALSTACK_PYTHON: '/opt/py/bin/python',
    });

    // then the explicit one comes first and no other minor version is tried
    expect(candidates).toEqual([
      '/opt/py/bin/python',
      join(root, 'versions', '3.13.10', 'bin', 'python3'),
      join(root, 'versions', '3.13.2', 'bin', 'python3'),
      'python3.13',
    ]);
  });
});
