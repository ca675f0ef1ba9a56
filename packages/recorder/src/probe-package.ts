// @scapkit/bpf-probe is an optional dependency of the recorder: npm leaves it out where its addon cannot be
// built (not Linux on x86-64, no libbpf or compiler), and every command but `record` runs without it.
// `record` loads the recording machinery, which imports the probe, through here: a missing probe is a
// message that says what to install, and `scapkit --help` or `replay` never load it.
import { CliError } from './exit.js';

const PROBE_MISSING =
  '`scapkit record` needs the eBPF probe, @scapkit/bpf-probe, which is not installed. It is an optional ' +
  'dependency of @scapkit/recorder, left out where its addon could not be built: it needs Linux on x86-64 ' +
  'and, to build, libbpf-dev, libelf-dev, zlib1g-dev, g++, make and python3 (Debian names; apt-get install ' +
  'them), then install @scapkit/recorder again. Reading traces (replay, info, export, detect, query, view) ' +
  'needs none of it.';

/** The recording module and the probe's error class, or a CliError saying what to install. */
export async function loadRecording() {
  try {
    const [recording, { ProbeLoadError }] = await Promise.all([
      import('./record/session.js'),
      import('@scapkit/bpf-probe'),
    ]);
    return { ...recording, ProbeLoadError };
  } catch (e) {
    if (isProbeMissing(e)) throw new CliError(PROBE_MISSING);
    throw e;
  }
}

/** import() of a missing package (ESM), or require() of one (the CLI bundle). */
function isProbeMissing(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    String((e as Error).message).includes('@scapkit/bpf-probe')
  );
}
