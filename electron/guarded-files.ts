import type { HostFiles } from '../engine/index.ts';
import type { AccessPolicy } from './access-policy.ts';

/** Host files that refuse any path the access policy does not permit. */
export function guardedFiles(files: HostFiles, policy: AccessPolicy): HostFiles {
  return {
    resolve: (base, p) => files.resolve(base, p),
    stat: async (p) => files.stat(policy.check(p)),
    readFile: async (p) => files.readFile(policy.check(p)),
    writeFile: async (p, bytes) => files.writeFile(policy.check(p), bytes),
    rename: async (from, to) => files.rename(policy.check(from), policy.check(to)),
    remove: async (p) => files.remove(policy.check(p)),
    makeParentDirs: async (p) => files.makeParentDirs(policy.check(p)),
    samplePath: (name) => files.samplePath(name),
  };
}
