#!/usr/bin/env node
// `npm run picture` (run with `node --import tsx`): docs/wizard.svg, the README's picture, from a real run of the
// current build in tmux, drawn by scripts/picture-lib.ts. test/e2e/picture.test.ts fails when the picture no longer
// shows what the build shows: run this again then.
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {captureRun, panelsOf, pictureSvg} from './picture-lib.js';

const root = join(import.meta.dirname, '..');
const panels = await panelsOf(await captureRun(root));
writeFileSync(join(root, 'docs/wizard.svg'), pictureSvg(panels));
console.log(`docs/wizard.svg: ${panels.map(panel => panel.lines.length).join(' + ')} rows drawn`);
