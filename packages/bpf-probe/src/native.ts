// The one place the addon binary is loaded. Everything native goes through the NativeProbeHandle type.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ProbeLoadError } from './errors.js';

/** Configuration as the addon reads it (see probe_loader.h). */
export interface NativeProbeConfig {
  snaplen: number;
  bufferBytesPerCpu: number;
  pids: number[];
  excludePids: number[];
  /** ppm_sc codes of the syscalls to record; empty = all. */
  ppmSc: number[];
  schedSwitch: boolean;
  pageFaults: boolean;
  enterEvents: boolean;
  followForks: boolean;
  /** A tgid whose children are recorded (0: none). */
  childrenOf: number;
}

export interface NativeCpuCounters {
  seen: number;
  dropsBuffer: number;
  dropsOther: number;
}

export interface NativeProbeHandle {
  close(): Promise<void>;
  ref(): void;
  unref(): void;
  stats(): { cpus: NativeCpuCounters[]; delivered: number };
}

export type NativeBatchCallback = (data: ArrayBuffer, offsets: ArrayBuffer, count: number) => void;

/** A probe loadProbe loaded and verified, not attached yet (an opaque External). */
export type NativeLoadedProbe = { readonly __loadedProbe: unique symbol };

interface NativeModule {
  ProbeHandle: new (
    config: NativeProbeConfig | NativeLoadedProbe,
    onBatch: NativeBatchCallback,
  ) => NativeProbeHandle;
  /** Loads on a libuv worker thread; rejects with a message and a `reason`, as the constructor throws. */
  loadProbe(config: NativeProbeConfig): Promise<NativeLoadedProbe>;
  /** Destroys a loaded probe that will not be attached. */
  discardProbe(loaded: NativeLoadedProbe): void;
}

// src/native.ts and dist/native.js are both one level below the package root.
const ADDON_PATH = fileURLToPath(new URL('../build/Release/scapkit_probe.node', import.meta.url));

let loaded: NativeModule | undefined;

// What installing the package builds (its install script runs node-gyp on src/addon against libbpf; the BPF
// object comes prebuilt in dist/bpf): said when the addon is missing or does not load.
const REBUILD =
  'rebuild it with `npm rebuild @scapkit/bpf-probe` (needs libbpf-dev, libelf-dev, zlib1g-dev, g++, make and python3), or in a checkout `pnpm --filter @scapkit/bpf-probe run build:native`';

export function loadNative(): NativeModule {
  if (loaded) return loaded;
  if (!existsSync(ADDON_PATH)) {
    throw new ProbeLoadError('build-missing', `load the addon: ${ADDON_PATH} is missing: ${REBUILD}`);
  }
  try {
    loaded = createRequire(import.meta.url)(ADDON_PATH) as NativeModule;
  } catch (e) {
    throw new ProbeLoadError('build-missing', `load the addon: ${(e as Error).message}: ${REBUILD}`, {
      cause: e,
    });
  }
  return loaded;
}
