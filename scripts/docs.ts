// Regenerates docs/nodes.md from the catalog: `npm run docs`.
import { writeFileSync } from 'node:fs';
import { catalog } from '../engine/index.ts';
import { nodeReference } from '../engine/catalog/node-reference.ts';

writeFileSync(new URL('../docs/nodes.md', import.meta.url), nodeReference(catalog));
console.log('wrote docs/nodes.md');
