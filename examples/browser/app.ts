// The page: the user picks a capture (scapkit, or sysdig/Falco .scap plain or gzip), the browser reads it
// with @scapkit/scap-format (no server, nothing uploaded) and shows its format, its event count, the most
// frequent event types and its process tree. Everything from the trace is untrusted: it reaches the DOM
// only through textContent and attributes set as data, never as markup.
import { ScapFormatError } from '@scapkit/scap-format';
import { type Analysis, analyze, type ProcessNode } from './analyze.js';

/** How many event types the table lists. */
const TOP_TYPES = 15;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page is missing #${id}`);
  return el as T;
};

const fileInput = $<HTMLInputElement>('file');
const status = $('status');
const results = $('results');

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) void show(file);
});

/** Sets the status line; `data-state` lets scripts (and the test) wait for the end of a read. */
function setStatus(state: 'reading' | 'done' | 'error', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

async function show(file: File): Promise<void> {
  results.hidden = true;
  setStatus('reading', `reading ${file.name}…`);
  try {
    // file.stream() reads the file in chunks: a capture larger than memory allows is never loaded whole.
    const a = await analyze(chunks(file.stream()));
    render(a);
    results.hidden = false;
    setStatus(
      'done',
      a.truncated ? `the file is cut; shown: what precedes the cut (${a.truncated})` : 'done',
    );
  } catch (e) {
    // ScapFormatError names the byte offset where the file stopped making sense.
    const why = e instanceof ScapFormatError ? e.message : `unexpected error: ${String(e)}`;
    setStatus('error', `cannot read ${file.name}: ${why}`);
  }
}

/**
 * A ReadableStream as the AsyncIterable<Uint8Array> the reader takes. Through getReader() rather than the
 * stream's own async iterator, which older Safari lacks.
 */
async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function render(a: Analysis): void {
  const h = a.header;
  $('format').textContent = h ? `${h.format} ${h.version}${h.gzip ? ' (gzip)' : ''}` : 'unknown';
  $('events').textContent = String(a.events);

  const tbody = $('types');
  tbody.replaceChildren(
    ...a.byType.slice(0, TOP_TYPES).map(([name, count]) => {
      const tr = document.createElement('tr');
      tr.dataset.type = name;
      tr.append(cell(name), cell(String(count)));
      return tr;
    }),
  );

  $('tree').replaceChildren(processTree(a));
}

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

/** The processes as nested lists: each under its parent process, roots (parent unknown) at the top. */
function processTree(a: Analysis): HTMLUListElement {
  const children = new Map<number, ProcessNode[]>();
  const roots: ProcessNode[] = [];
  for (const p of a.processes.values()) {
    // ppid names a thread of the parent, usually its main thread; map it to the parent's pid.
    const parentPid = a.threadPid.get(p.ppid) ?? p.ppid;
    if (parentPid !== p.pid && a.processes.has(parentPid)) {
      const list = children.get(parentPid);
      if (list) list.push(p);
      else children.set(parentPid, [p]);
    } else roots.push(p);
  }
  // Iterative, with a set of nodes already placed: a reused pid can make a cycle, and a deep chain
  // must not exhaust the stack.
  const placed = new Set<number>();
  const top = document.createElement('ul');
  const stack: [ProcessNode, HTMLUListElement][] = roots.sort(byPidDesc).map((p) => [p, top]);
  while (stack.length > 0) {
    const [p, into] = stack.pop()!;
    if (placed.has(p.pid)) continue;
    placed.add(p.pid);
    const li = document.createElement('li');
    li.dataset.pid = String(p.pid);
    const label = document.createElement('span');
    label.className = 'proc';
    label.textContent = `${p.pid} ${[p.comm, ...p.args].join(' ')}`;
    li.append(label);
    into.append(li);
    const kids = children.get(p.pid);
    if (kids) {
      const ul = document.createElement('ul');
      li.append(ul);
      for (const c of kids.sort(byPidDesc)) stack.push([c, ul]);
    }
  }
  return top;
}

/** Pushed in descending order, popped in ascending pid order. */
const byPidDesc = (x: ProcessNode, y: ProcessNode) => y.pid - x.pid;
