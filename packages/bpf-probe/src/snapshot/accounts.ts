// Users and groups of the host, from /etc/passwd and /etc/group under hostRoot, as libscap's user list
// reads them (through getpwent/getgrent, which on a plain host are these two files).
import type { GroupInfo, UserInfo } from '@scapkit/scap-format';
import type { ProcFs } from './procfs.js';

/** libscap keeps at most MAX_CREDENTIALS_STR_LEN - 1 bytes of each name, home and shell. */
const MAX_CREDENTIAL = 255;

export function parsePasswd(text: string): UserInfo[] {
  const users: UserInfo[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    // name:password:uid:gid:gecos:home:shell
    const f = line.split(':');
    if (f.length < 7) continue;
    const [name = '', , uidText, gidText, , homedir = '', shell = ''] = f;
    const uid = Number(uidText);
    const gid = Number(gidText);
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    users.push({ uid, gid, name: clip(name), homedir: clip(homedir), shell: clip(shell) });
  }
  return users;
}

export function parseGroup(text: string): GroupInfo[] {
  const groups: GroupInfo[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    // name:password:gid:members
    const f = line.split(':');
    if (f.length < 3) continue;
    const [name = '', , gidText] = f;
    const gid = Number(gidText);
    if (!Number.isInteger(gid)) continue;
    groups.push({ gid, name: clip(name) });
  }
  return groups;
}

export function readAccounts(fs: ProcFs, etcDir: string): { users: UserInfo[]; groups: GroupInfo[] } {
  return {
    users: parsePasswd(fs.read(`${etcDir}/passwd`, 64 << 20, true) ?? ''),
    groups: parseGroup(fs.read(`${etcDir}/group`, 64 << 20, true) ?? ''),
  };
}

function clip(s: string): string {
  return s.length > MAX_CREDENTIAL ? s.slice(0, MAX_CREDENTIAL) : s;
}
