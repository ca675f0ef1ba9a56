// Alerts as Falco writes them with json_output (the example of Falco's documentation, "Output formats"),
// which `scapkit detect --json` follows: the viewer places them by their RFC 3339 time to the nanosecond.
import { describe, expect, it } from 'vitest';
import { parseAlerts, rfc3339ToNs } from '../src/model/alerts.js';

const FALCO_JSON =
  '{"hostname":"falco-host","output":"16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hello file=/bin/hello parent=bash pcmdline=bash gparent=sudo)","priority":"Error","rule":"Write below binary dir","source":"syscall","tags":["filesystem","mitre_persistence"],"time":"2019-10-15T16:31:56.746609046Z","output_fields":{"evt.time":1571157116746609046,"fd.name":"/bin/hello","proc.cmdline":"touch /bin/hello","proc.pname":"bash","user.name":"root"}}';

describe('alerts', () => {
  it("reads Falco's JSON output to the nanosecond", () => {
    const [a] = parseAlerts(`${FALCO_JSON}\n\n`);
    expect(a).toEqual({
      ts: '1571157116746609046',
      rule: 'Write below binary dir',
      priority: 'Error',
      output: expect.stringContaining('File below a known binary directory'),
    });
    // The same instant as the alert's own evt.time field (read as text: it is past 2^53).
    expect(a!.ts).toBe(/"evt.time":(\d+)/.exec(FALCO_JSON)![1]);
  });

  it('takes offsets and fewer digits, and refuses what is not an alert with its line', () => {
    expect(rfc3339ToNs('2019-10-15T18:31:56.7466+02:00')).toBe(1571157116746600000n);
    expect(rfc3339ToNs('2019-10-15 16:31:56Z')).toBeUndefined();
    expect(() => parseAlerts(`${FALCO_JSON}\nnot json`)).toThrow('alerts line 2 is not JSON');
    expect(() => parseAlerts('{"rule":"x"}')).toThrow(/line 1 is not a Falco alert/);
  });
});
