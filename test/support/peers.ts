/**
 * Programs we did not write (openssl, coturn's turnserver, chromium) that tests run
 * against. Missing one is a skip on a developer's machine, with the reason; with `CI`
 * (or REQUIRE_PEERS) set it is a failure that says what to install.
 */
import { execFileSync } from 'node:child_process';

const required = Boolean(process.env.CI || process.env.REQUIRE_PEERS);

/** The absolute path of `command`, or undefined when it is not on PATH. */
export function which(command: string): string | undefined {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * Test options for a test that needs `command` (from Debian package `pkg`): `{ skip: reason }`
 * when it is missing and not required; otherwise `{}`, and `peerPath` throws inside the test.
 */
export function needsPeer(command: string, pkg: string): { skip?: string } {
  if (which(command) || required) return {};
  return {
    skip: `${command} not installed (apt-get install ${pkg}); set CI=1 to make this a failure`,
  };
}

/** The path of a required peer program; throws a clear error when it is missing. */
export function peerPath(command: string, pkg: string): string {
  const path = which(command);
  if (!path) throw new Error(`peer program '${command}' is missing: apt-get install -y ${pkg}`);
  return path;
}
