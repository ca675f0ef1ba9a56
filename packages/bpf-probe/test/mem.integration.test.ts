// mmap/munmap/mprotect/brk: addresses, lengths, PPM_PROT_*/PPM_MAP_* flags, and the process's memory
// sizes at the call's return, against /proc/self/statm read by the helper right after.
import { MMAP_FLAGS, PROT_FLAGS } from '@scapkit/scap-format';
import { describe, expect, it } from 'vitest';
import { CAN_LOAD_PROBE } from '../../../test/support/machine.mjs';
import { bits, capture, type DecodedEvent, only } from './support/capture.js';

const EBADF = 9;

describe.runIf(CAN_LOAD_PROBE)('memory syscalls', () => {
  it('records mmap, mprotect, munmap and brk with every parameter', async () => {
    const { events, out } = await capture('mem');
    const addrN = out.mmap as number; // ERRNO: a number (exact below 2^53)
    const addr = BigInt(addrN);
    const mmaps = only(events, 'mmap').filter((e) => e.params.length === 8192n || e.params.fd === 9999);
    expect(mmaps).toHaveLength(2);
    const [ok, bad] = mmaps as [DecodedEvent, DecodedEvent];
    expect(ok.params).toMatchObject({
      res: addrN,
      addr: 0n,
      length: 8192n,
      prot: bits(PROT_FLAGS, 'PROT_READ', 'PROT_WRITE'),
      flags: bits(MMAP_FLAGS, 'MAP_PRIVATE', 'MAP_ANONYMOUS'),
      fd: -1,
      offset: 0n,
    });
    // vm_size is total_vm in KiB: the helper read statm (pages) right after, with no mapping in between.
    expect(ok.params.vm_size).toBe((out.vm1 as number) * 4);
    expect(ok.params.vm_rss as number).toBeGreaterThan(0);
    expect(ok.params.vm_rss as number).toBeLessThanOrEqual(ok.params.vm_size as number);
    expect(typeof ok.params.vm_swap).toBe('number');
    expect(bad.params).toMatchObject({
      res: -EBADF,
      addr: 0n,
      length: 4096n,
      prot: bits(PROT_FLAGS, 'PROT_READ'),
      flags: bits(MMAP_FLAGS, 'MAP_SHARED'),
      fd: 9999,
      offset: 4096n,
    });
    expect(only(events, 'mprotect')[0]!.params).toEqual({
      res: 0,
      addr,
      length: 4096n,
      prot: bits(PROT_FLAGS, 'PROT_READ'),
    });
    const munmap = only(events, 'munmap').find((e) => e.params.addr === addr)!;
    expect(munmap.params).toMatchObject({ res: 0, addr, length: 8192n, vm_size: (out.vm2 as number) * 4 });
    expect(munmap.params.vm_rss as number).toBeGreaterThan(0);
    const brks = only(events, 'brk');
    const b0 = BigInt(out.brk0 as number);
    const b1 = BigInt(out.brk1 as number);
    const at = brks.findIndex((e) => e.params.addr === b0 + 65536n);
    expect(at).toBeGreaterThan(0);
    const [q, grow] = [brks[at - 1]!, brks[at]!]; // brk(0), then the helper's own brk
    expect(q.params).toMatchObject({ res: b0, addr: 0n });
    expect(grow.params).toMatchObject({ res: b1, addr: b0 + 65536n, vm_size: (out.vm3 as number) * 4 });
    expect(grow.params.vm_rss as number).toBeGreaterThan(0);
  });
});
