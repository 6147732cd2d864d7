/**
 * Writes docs/operations.md's role-permission tables from the ACCESS declarations beside the code
 * (npm run docs:permissions), formatted as the repository formats Markdown. A test fails while
 * the document differs from what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { declaredAccess } from './declared-access';
import { formatMarkdown, OPERATIONS_DOC } from './operations-doc';
import { renderRolePermissions, withSection } from './render-role-permissions';

function main(): void {
  const path = join(__dirname, '..', '..', OPERATIONS_DOC);
  const updated = formatMarkdown(
    withSection(readFileSync(path, 'utf8'), renderRolePermissions(declaredAccess())),
    path,
  );
  writeFileSync(path, updated);
  console.log(`wrote ${OPERATIONS_DOC}`);
}

main();
