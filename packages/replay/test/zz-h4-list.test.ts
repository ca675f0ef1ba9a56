import { writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { createFieldRegistry } from '../src/index.js';
test('list', () => { writeFileSync('/tmp/h4/ours.txt', createFieldRegistry().list().map((f) => f.name).sort().join('\n') + '\n'); });
