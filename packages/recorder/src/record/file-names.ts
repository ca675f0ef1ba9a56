// Names of rotated trace files, as sysdig names them: `-C` and `-e` append a sequence number to the name
// given with -w; `-G` expands strftime patterns (%Y %m %d %H %M %S …) with the file's start time, and appends the
// sequence number when the name has no pattern (otherwise two periods would collide).

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A strftime subset, in local time like sysdig: %Y %m %d %H %M %S %s %j %y %b %a %%. */
export function strftime(pattern: string, d: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return pattern.replace(/%([YmdHMSsjyba%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getFullYear());
      case 'y':
        return pad(d.getFullYear() % 100);
      case 'm':
        return pad(d.getMonth() + 1);
      case 'd':
        return pad(d.getDate());
      case 'H':
        return pad(d.getHours());
      case 'M':
        return pad(d.getMinutes());
      case 'S':
        return pad(d.getSeconds());
      case 's':
        return String(Math.floor(d.getTime() / 1000));
      case 'j': {
        const start = new Date(d.getFullYear(), 0, 1);
        return pad(Math.floor((d.getTime() - start.getTime()) / 86_400_000) + 1, 3);
      }
      case 'b':
        return months[d.getMonth()] ?? '';
      case 'a':
        return days[d.getDay()] ?? '';
      default:
        return '%';
    }
  });
}

export interface RotationNaming {
  /** The -w argument. */
  base: string;
  /** Rotation is on (-C, -G or -e): names get a sequence number or a time. */
  rotating: boolean;
  /** -G was given and the name holds a strftime pattern. */
  timePattern: boolean;
}

export function namingFor(
  base: string,
  sizeMb?: number,
  seconds?: number,
  eventsPerFile?: number,
): RotationNaming {
  const rotating = (sizeMb ?? 0) > 0 || (seconds ?? 0) > 0 || (eventsPerFile ?? 0) > 0;
  return { base, rotating, timePattern: (seconds ?? 0) > 0 && /%[YmdHMSsjyba]/.test(base) };
}

export function fileName(n: RotationNaming, seq: number, start: Date): string {
  if (!n.rotating) return n.base;
  if (n.timePattern) return strftime(n.base, start);
  return `${n.base}${seq}`;
}
