// A compiled filter runs, per event, what the event's type leaves of it (compileFilterAst folds the checks
// the type decides). Each filter here is compared, on every event of real captures, with its predicate
// compiled whole (compileFilterPredicate, no folding): a residual predicate that lost or kept the wrong
// branch, or a type given the wrong constant, answers differently for some event.
import { openCaptureFile } from '@scapkit/scap-format/node';
import { describe, expect, it } from 'vitest';
import { capturePath } from '../../../test/support/captures.mjs';
import {
  compileFilter,
  compileFilterPredicate,
  createFieldRegistry,
  type EvalContext,
  Pipeline,
  parseFilter,
  type ReplayContext,
} from '../src/index.js';

const FILTERS = [
  'evt.type=openat and proc.name=dockerd',
  'evt.type in (open, openat) and (evt.type=open or fd.name=/etc/ld.so.cache)',
  'evt.type in (open, openat) and not (evt.type=open and fd.name startswith /tmp)',
  'not evt.type=openat',
  'not evt.type in (open, openat, read) and proc.name=cat',
  'not (evt.type=openat and evt.dir=<)',
  'evt.type=openat or proc.name=cat',
  'evt.type!=read and evt.dir=< and fd.type=file',
  'fd.type=file and evt.is_io=true',
  'evt.is_io_read=true or (evt.type=close and fd.name contains lib)',
  'evt.type in (open, openat, openat2) and evt.dir=< and not fd.name startswith /proc',
  'evt.res!=SUCCESS and evt.type in (open, openat, connect)',
  'not evt.res exists or evt.type=close',
  'evt.type=mlock2 or evt.type=close or evt.type=procexit',
  'evt.type=openat and evt.type=read',
  'proc.name=cat',
];

const CAPTURES = ['open-multiple-files', 'cat_write', 'curl_google', 'syscall', 'capture'];

describe('filters specialised per event type', () => {
  it('answer as the whole filter does, on every event of the captures', async () => {
    const registry = createFieldRegistry();
    const filters = FILTERS.map((text) => ({
      text,
      match: compileFilter(text, registry).match,
      whole: compileFilterPredicate(parseFilter(text), text, registry),
      matched: 0,
      rejected: 0,
    }));
    const differences: string[] = [];
    for (const capture of CAPTURES) {
      const pipeline = new Pipeline({
        showInternal: true,
        sink: {
          event(ctx: ReplayContext) {
            const c: EvalContext = ctx;
            for (const f of filters) {
              const got = f.match(c);
              if (got !== f.whole(c) && differences.length < 10)
                differences.push(
                  `${capture} event ${ctx.num} (type ${ctx.view.type}): ${f.text} gave ${got}`,
                );
              if (got) f.matched++;
              else f.rejected++;
            }
          },
        },
      });
      await pipeline.run(openCaptureFile(capturePath(`${capture}.scap`)));
    }
    expect(differences).toEqual([]);
    // Each filter (but the one no event can pass) both matches and rejects events: the comparison saw both.
    const oneSided = filters.filter(
      (f) => (f.matched === 0 && !f.text.includes('evt.type=read')) || f.rejected === 0,
    );
    expect(oneSided.map((f) => `${f.text}: ${f.matched} matched, ${f.rejected} rejected`)).toEqual([]);
  });
});
