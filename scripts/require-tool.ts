// A test that the README promises must run or fail, never skip silently (issue 14): a test file that
// needs a system binary calls requireTool() at load time, so a missing tool fails the file with the
// line that installs it. `npm test` (scripts/test-all.ts → scripts/system-deps.ts) installs them first.
import { existsSync } from 'node:fs';

export function requireTool(binary: string, debianPackage: string): string {
  if (!existsSync(binary)) {
    throw new Error(`${binary} is missing: install it with \`sudo apt-get install -y ${debianPackage}\` (npm test does this when run as root)`);
  }
  return binary;
}
