// user.* and group.* fields: the thread's uid/gid and their names from the user and group tables (the
// capture's user list, then useradded/groupadded events).
import { rc } from './context.js';
import { type FieldDef, fromExec, simple } from './def.js';

export const USER_GROUP_FIELDS: readonly FieldDef[] = [
  simple('user.uid', 'int', 'user ID', (c) => rc(c).state.thread?.uid),
  simple('user.name', 'string', 'user name', (c) => {
    const ctx = rc(c);
    const t = ctx.state.thread;
    return t ? ctx.state.users.get(t.uid)?.name : undefined;
  }),
  simple('user.homedir', 'string', 'home directory of the user', (c) => {
    const ctx = rc(c);
    const t = ctx.state.thread;
    return t ? ctx.state.users.get(t.uid)?.homedir : undefined;
  }),
  simple('user.shell', 'string', "user's shell", (c) => {
    const ctx = rc(c);
    const t = ctx.state.thread;
    return t ? ctx.state.users.get(t.uid)?.shell : undefined;
  }),
  fromExec(
    simple('user.loginuid', 'int', 'audit user id (auid); -1 when unset', (c) => {
      const t = rc(c).state.thread;
      if (!t) return undefined;
      return t.loginuid === 0xffffffff ? -1 : t.loginuid;
    }),
    'loginuid',
  ),
  fromExec(
    simple('user.loginname', 'string', 'audit user name (auid)', (c) => {
      const ctx = rc(c);
      const t = ctx.state.thread;
      return t ? ctx.state.users.get(t.loginuid)?.name : undefined;
    }),
    'loginuid',
  ),
  simple('group.gid', 'int', 'group ID', (c) => rc(c).state.thread?.gid),
  simple('group.name', 'string', 'group name', (c) => {
    const ctx = rc(c);
    const t = ctx.state.thread;
    return t ? ctx.state.groups.get(t.gid)?.name : undefined;
  }),
];
