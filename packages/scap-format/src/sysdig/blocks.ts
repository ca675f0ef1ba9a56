// Block type ids of the sysdig/Falco .scap format (libscap's scap_savefile.h), with the legacy "_INT" ids
// that captures written before the first libscap release still carry.

export const BT = {
  SHB: 0x0a0d0d0a,
  MI: 0x201,
  MI_INT: 0x8002abcd,
  PL_V1: 0x202,
  PL_V1_INT: 0x8000abcd,
  PL_V2: 0x207,
  PL_V2_INT: 0x8013abcd,
  PL_V3: 0x209,
  PL_V3_INT: 0x8014abcd,
  PL_V4: 0x210,
  PL_V5: 0x211,
  PL_V6: 0x212,
  PL_V7: 0x213,
  PL_V8: 0x214,
  PL_V9: 0x215,
  FDL: 0x203,
  FDL_INT: 0x8001abcd,
  FDL_V2: 0x218,
  EV: 0x204,
  EV_INT: 0x8010abcd,
  EV_V2: 0x216,
  EV_V2_LARGE: 0x221,
  EVF: 0x208,
  EVF_V2: 0x217,
  EVF_V2_LARGE: 0x222,
  IL: 0x205,
  IL_INT: 0x8011abcd,
  IL_V2: 0x219,
  UL: 0x206,
  UL_INT: 0x8012abcd,
  UL_V2: 0x220,
} as const;

/** Byte-order magic of the section header, as read little-endian. */
export const SHB_MAGIC = 0x1a2b3c4d;
/** The same magic written by a big-endian host: libscap cannot read such files either. */
export const SHB_MAGIC_SWAPPED = 0x4d3c2b1a;

/** Process-list block version (1..9) of a block type, or 0 when it is not a process list. */
export function plVersion(bt: number): number {
  switch (bt) {
    case BT.PL_V1:
    case BT.PL_V1_INT:
      return 1;
    case BT.PL_V2:
    case BT.PL_V2_INT:
      return 2;
    case BT.PL_V3:
    case BT.PL_V3_INT:
      return 3;
    case BT.PL_V4:
      return 4;
    case BT.PL_V5:
      return 5;
    case BT.PL_V6:
      return 6;
    case BT.PL_V7:
      return 7;
    case BT.PL_V8:
      return 8;
    case BT.PL_V9:
      return 9;
    default:
      return 0;
  }
}

/** Event block kinds: bit 1 = 26-byte (v2) header, bit 2 = u32 flags after the cpu, bit 4 = LARGE. */
export const EVB_V2 = 1;
export const EVB_FLAGS = 2;
export const EVB_LARGE = 4;

/** Event-block kind bits of a block type, or -1 when it is not an event block. */
export function eventBlockKind(bt: number): number {
  switch (bt) {
    case BT.EV:
    case BT.EV_INT:
      return 0;
    case BT.EVF:
      return EVB_FLAGS;
    case BT.EV_V2:
      return EVB_V2;
    case BT.EVF_V2:
      return EVB_V2 | EVB_FLAGS;
    case BT.EV_V2_LARGE:
      return EVB_V2 | EVB_LARGE;
    case BT.EVF_V2_LARGE:
      return EVB_V2 | EVB_FLAGS | EVB_LARGE;
    default:
      return -1;
  }
}
