// The way a trace is read changes nothing printed: each of the ten shared captures, written as a scapkit
// trace with each codec (none, LZ4, zstd) and read back inline or with its chunks decoded on worker threads
// (buffers reused or not), prints with sysdig's default line and with -j exactly what the capture itself
// prints. (The workers run the built decode-worker.js: `pnpm exec tsc -b` first, as `npm test` does.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CaptureRecord,
  createLz4Codec,
  MemorySink,
  noneCodec,
  openCapture,
  ScapkitWriter,
} from '@scapkit/scap-format';
import { nativeZstdCodec, openCaptureFile } from '@scapkit/scap-format/node';
import { afterAll, describe, expect, it } from 'vitest';
import { createFieldRegistry, Pipeline, PrintSink } from '../src/index.js';
import { CAPTURES, WITH_EXPECTED } from './support/replay-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'scapkit-read-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function print(stream: AsyncIterable<CaptureRecord>, json: boolean): Promise<string[]> {
  const registry = createFieldRegistry();
  const out: string[] = [];
  const p = new Pipeline({ sink: new PrintSink({ registry, json, write: (l) => out.push(l) }) });
  for await (const r of stream) p.push(r);
  return out;
}

async function asScapkit(name: string, codec: ReturnType<typeof createLz4Codec>): Promise<string> {
  const sink = new MemorySink();
  let w: ScapkitWriter | undefined;
  for await (const r of openCaptureFile(`${CAPTURES}/${name}.scap`)) {
    if (r.kind === 'header') w = new ScapkitWriter(sink, {}, { codec, chunkBytes: 16384 });
    else if (r.kind === 'metadata') await w!.writeMetadata(r.metadata);
    else if (r.kind === 'events') await w!.writeBatch(r.batch);
  }
  await w!.close();
  const file = join(dir, `${name}-${codec.name ?? codec.id}.scapkit`);
  writeFileSync(file, sink.bytes());
  return file;
}

describe('a capture prints the same read as a scapkit trace, whatever the codec and the decoding', () => {
  const codecs = [noneCodec, createLz4Codec(), nativeZstdCodec()!];
  for (const name of WITH_EXPECTED) {
    it(name, async () => {
      for (const json of [false, true]) {
        const want = await print(openCaptureFile(`${CAPTURES}/${name}.scap`), json);
        for (const codec of codecs) {
          const file = await asScapkit(name, codec);
          for (const opts of [
            { workers: false },
            { workers: true },
            { workers: true, reuseBatchBuffers: true },
          ]) {
            const got = await print(openCaptureFile(file, opts), json);
            expect(got, `${codec.name ?? codec.id} ${JSON.stringify(opts)} json=${json}`).toEqual(want);
          }
        }
      }
    });
  }

  it('openCapture over bytes agrees with openCaptureFile', async () => {
    const file = await asScapkit('curl_google', createLz4Codec());
    const { readFileSync } = await import('node:fs');
    const bytes = new Uint8Array(readFileSync(file));
    const viaBytes = await print(
      openCapture(
        (async function* () {
          yield bytes;
        })(),
      ),
      false,
    );
    expect(viaBytes).toEqual(await print(openCaptureFile(file), false));
  });
});
