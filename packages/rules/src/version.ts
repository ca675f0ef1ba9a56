// The version of Falco's rules engine that this loader implements, and the version arithmetic of
// libsinsp's sinsp_version: "x.y.z" read as three unsigned numbers (anything after them ignored), and a
// requirement met when the major numbers are equal and the engine is at least as new.

export type EngineVersion = readonly [major: number, minor: number, patch: number];

/**
 * The Falco engine version scapkit matches: the rules language of falcosecurity/rules at c72713ee (the
 * stock ruleset in shared/reference, `required_engine_version: 0.57.0`), lists, macros, exceptions,
 * `override`, transformers and the operators of libs' filter language.
 */
export const ENGINE_VERSION: EngineVersion = [0, 57, 0];

/**
 * Plugins whose fields scapkit provides itself: the container plugin's `container.*` fields come from the
 * trace's container metadata (the version is the one the stock ruleset requires).
 */
export const BUILTIN_PLUGINS: readonly { name: string; version: string }[] = [
  { name: 'container', version: '0.4.0' },
];

/** Parses "x.y.z" as sscanf("%u.%u.%u") does; undefined when it does not start with three numbers. */
export function parseVersion(text: string): EngineVersion | undefined {
  const m = /^\s*\+?(\d+)\.\s*\+?(\d+)\.\s*\+?(\d+)/.exec(text);
  if (!m) return undefined;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])] as const;
  return v.every((n) => n <= 0xffffffff) ? v : undefined;
}

export function compareVersions(a: EngineVersion, b: EngineVersion): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** sinsp_version::compatible_with: the same major version, and `have` at least `want`. */
export function versionCompatible(have: EngineVersion, want: EngineVersion): boolean {
  return have[0] === want[0] && compareVersions(have, want) >= 0;
}
