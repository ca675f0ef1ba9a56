// sysdig -R's port names from a services(5) file, looked up as glibc's getservbyport does: by port and
// protocol, or by port alone for the first entry in file order; lines that are not `name port/proto` are
// skipped, and a port with no entry stays a number.
import { describe, expect, test } from 'vitest';
import { ServiceNames } from '../src/render/services.js';
import { L4 } from '../src/state/fd.js';

const SERVICES = [
  '# Network services, Internet style',
  '',
  'tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer',
  'echo\t\t7/udp',
  'echo-tcp\t7/tcp',
  'http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP',
  'www-zero\t080/udp',
  'lonely',
  '   # indented comment',
  'toobig\t\t70000/tcp',
  'notaport\tx/tcp',
].join('\n');

describe('ServiceNames', () => {
  const names = new ServiceNames(SERVICES);

  test('a port is named by its protocol', () => {
    expect(names.port(80, L4.TCP)).toBe('http');
    expect(names.port(7, L4.TCP)).toBe('echo-tcp');
    expect(names.port(7, L4.UDP)).toBe('echo');
    expect(names.port(80, L4.UDP)).toBe('www-zero');
  });

  test('without a protocol the first entry in file order wins, whatever its port spelling', () => {
    expect(names.port(7, L4.NA)).toBe('echo');
    expect(names.port(80, L4.NA)).toBe('http');
  });

  test('lines that name no port are skipped and unknown ports stay numbers', () => {
    expect(names.port(1, L4.UDP)).toBe('1');
    expect(names.port(70000 - 65536, L4.TCP)).toBe(String(70000 - 65536));
    expect(names.port(443, L4.TCP)).toBe('443');
    expect(new ServiceNames('').port(80, L4.TCP)).toBe('80');
  });

  test('endpoints in an address text are renamed, other digits are not', () => {
    expect(names.rename('10.0.0.1:51000->10.0.0.2:80', L4.TCP)).toBe('10.0.0.1:51000->10.0.0.2:http');
  });
});
