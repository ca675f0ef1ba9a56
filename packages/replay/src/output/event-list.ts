// sysdig's -L: the events its engine knows, one line per event and direction with its parameters' types
// and names (`< read(ERRNO res, BYTEBUF data)`), old versions, unused ids and internal events left out.
// The table listed is sysdig 0.29.3's (the layouts of the captures sysdig writes and scapkit reads as
// they are); scapkit's own recordings use current libs' layouts, which `scapkit info` reports per file.
import { EC, EF, EVENTS_SYSDIG_0_29, type EventInfo, PARAM_TYPE_NAMES, PT } from '@scapkit/scap-format';

/** libsinsp's param_type_to_string: the schema's type names, except DYN. */
function typeName(t: number): string {
  return t === PT.DYN ? 'DYNAMIC' : (PARAM_TYPE_NAMES[t] ?? 'UNKNOWN');
}

/** Whether -L lists the event. */
function listed(e: EventInfo): boolean {
  return (e.flags & (EF.UNUSED | EF.OLD_VERSION)) === 0 && (e.category & EC.INTERNAL) === 0;
}

/** The lines of `sysdig -L`. */
export function formatEventList(): string[] {
  return EVENTS_SYSDIG_0_29.filter(listed).map(
    (e) => `${e.dir} ${e.name}(${e.params.map((p) => `${typeName(p.type)} ${p.name}`).join(', ')})`,
  );
}
