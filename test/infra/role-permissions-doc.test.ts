import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaredAccess } from '../../scripts/access/declared-access';
import { formatMarkdown, OPERATIONS_DOC } from '../../scripts/access/operations-doc';
import { renderRolePermissions, withSection } from '../../scripts/access/render-role-permissions';

describe('docs/operations.md', () => {
  it("lists each role's permissions exactly as the declarations beside the code give them", () => {
    // given the document as committed
    const path = join(__dirname, '..', '..', OPERATIONS_DOC);
    const committed = readFileSync(path, 'utf8');

    // when its section is written from the declarations, as npm run docs:permissions does
    const current = formatMarkdown(
      withSection(committed, renderRolePermissions(declaredAccess())),
      path,
    );

    // then nothing changes (else: npm run docs:permissions)
    expect(committed).toEqual(current);
  });
});
