// The filter box: a sysdig filter, compiled by the worker with replay's own compiler when applied (Enter).
// A syntax error is shown under the box with the filter text and a mark at the position the compiler names.
import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export interface FilterError {
  message: string;
  /** 0-based position in `filter`; -1 when the error has none (an unknown field). */
  position: number;
  filter: string;
}

export function FilterBox({
  value,
  error,
  onApply,
  inputRef,
}: {
  value: string;
  error: FilterError | undefined;
  onApply: (f: string) => void;
  inputRef: Ref<HTMLInputElement>;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <form
      class="filter"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(text);
      }}
    >
      <label for="filter-input" class="filter-label">
        filter
      </label>
      <input
        id="filter-input"
        ref={inputRef}
        class={error ? 'invalid' : ''}
        type="text"
        spellcheck={false}
        autocomplete="off"
        placeholder="sysdig filter, e.g. proc.name=nginx and fd.type=ipv4   (s)"
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
      />
      <button type="submit">Apply</button>
      {value !== '' ? (
        <button type="button" class="ghost" onClick={() => onApply('')}>
          Clear
        </button>
      ) : null}
      {error ? <FilterErrorText error={error} /> : null}
    </form>
  );
}

function FilterErrorText({ error }: { error: FilterError }) {
  const p = error.position;
  const f = error.filter;
  return (
    <div class="filter-error" id="filter-error" role="alert" data-position={p}>
      <div>{p >= 0 ? `syntax error at position ${p}: ${error.message}` : error.message}</div>
      {p >= 0 ? (
        <pre class="filter-echo">
          {f.slice(0, p)}
          <mark>{f.slice(p, p + 1) || ' '}</mark>
          {f.slice(p + 1)}
        </pre>
      ) : null}
    </div>
  );
}
