// I/O streams (Inspect's echo, sysdig's echo_fds): what was read from and written to an fd, or to every fd
// of a file or connection, in order, each call headed by its direction, size and process; the bytes as
// printable ASCII (the rest left out), dotted ASCII (the rest as '.', as sysdig prints buffers) or hex.
import { useEffect, useState } from 'preact/hooks';
import type { FollowTarget } from '../../model/protocol.js';
import type { IoChunk, IoStream } from '../../model/types.js';
import type { ViewContext } from '../app.js';
import { RequestFailed } from '../client.js';
import { formatRel } from '../format.js';

type Mode = 'printable' | 'dotted' | 'hex';

const printable = (b: number) => (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x09;

export function renderBytes(data: Uint8Array, mode: Mode): string {
  if (mode === 'hex') {
    let out = '';
    for (let o = 0; o < data.length; o += 16) {
      const row = data.subarray(o, o + 16);
      const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      const asc = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      out += `${o.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${asc}|\n`;
    }
    return out;
  }
  let s = '';
  for (const b of data) {
    if (mode === 'printable') {
      if (printable(b)) s += String.fromCharCode(b);
    } else s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return s;
}

export function IoView({ ctx, target }: { ctx: ViewContext; target: FollowTarget | undefined }) {
  const [stream, setStream] = useState<IoStream | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [mode, setMode] = useState<Mode>('printable');
  const range = ctx.nav.range;
  const key = JSON.stringify(target);
  useEffect(() => {
    if (!target)
      return setError('Nothing to follow: select an event on an fd, or a file or connection, and press e.');
    let live = true;
    setStream(undefined);
    setError(undefined);
    ctx.client
      .request({
        op: 'follow',
        target,
        from: range?.[0] ?? 0,
        to: range?.[1] ?? Number.POSITIVE_INFINITY,
      })
      .then(
        (s) => live && setStream(s),
        (e) => {
          if (!live || (e instanceof RequestFailed && e.detail.kind === 'superseded')) return;
          setError((e as Error).message);
        },
      );
    return () => {
      live = false;
    };
  }, [key, range?.[0], range?.[1]]);
  ctx.selection.dig = () => {
    if (stream) ctx.go({ label: `Events of ${stream.name}`, view: 'events', filter: stream.filter });
  };

  if (error) return <p class="empty">{error}</p>;
  if (!stream) return <p class="muted">Following…</p>;
  const bytes = (d: IoChunk['dir']) =>
    stream.chunks.filter((c) => c.dir === d).reduce((n, c) => n + c.res, 0);
  return (
    <div class="io-view" id="io">
      <div class="io-head">
        <h2>
          {stream.name}
          {stream.pid >= 0 ? (
            <span class="muted">
              {' '}
              fd {stream.fd} of {stream.proc} ({stream.pid})
            </span>
          ) : null}
        </h2>
        <span class="muted">
          {stream.chunks.length} calls · read <span id="io-read">{bytes('read')}</span> B · written{' '}
          <span id="io-written">{bytes('write')}</span> B
        </span>
        <span class="spacer" />
        <div class="seg">
          {(['printable', 'dotted', 'hex'] as Mode[]).map((m) => (
            <button
              type="button"
              key={m}
              class={m === mode ? 'on' : ''}
              data-mode={m}
              onClick={() => setMode(m)}
            >
              {m === 'printable' ? 'printable ASCII' : m === 'dotted' ? 'dotted ASCII' : 'hex'}
            </button>
          ))}
        </div>
      </div>
      <div class="io-body scroll">
        {stream.chunks.length === 0 ? <p class="empty">No bytes moved on it in this range.</p> : null}
        {stream.chunks.map((c) => (
          <section class={`io-chunk ${c.dir}`} key={c.num} data-num={c.num}>
            <div class="io-chunk-head">
              {c.dir === 'read' ? '← Read' : '→ Write'} {c.res}B {c.dir === 'read' ? 'from' : 'to'}{' '}
              {stream.name} ({c.proc}){' '}
              <span class="muted">
                {formatRel(c.ts)} · event {c.num}
              </span>
              {c.data.length < c.res ? <span class="muted"> · {c.data.length}B captured</span> : null}
            </div>
            <pre class="io-data">{renderBytes(c.data, mode)}</pre>
          </section>
        ))}
      </div>
    </div>
  );
}
