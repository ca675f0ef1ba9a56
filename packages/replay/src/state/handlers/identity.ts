// Handlers of what a thread runs as and in: its credentials (setuid, setgid and their res/re variants),
// the user and group tables (useradded … groupdeleted), and the container records.
import { containerFromOldEvent, containerFromSysdigJson, type EventView } from '@scapkit/scap-format';
import type { StateEngine } from '../engine.js';
import { paramSlot } from '../param-slots.js';
import { NO_ID, Thread } from '../thread.js';

const RES = paramSlot('res');
const UID = paramSlot('uid');
const GID = paramSlot('gid');
const EUID = paramSlot('euid');
const EGID = paramSlot('egid');
const NAME = paramSlot('name');
const HOME = paramSlot('home');
const SHELL = paramSlot('shell');
const CONTAINER_ID = paramSlot('container_id');
const JSON_ = paramSlot('json');
const ID = paramSlot('id');
const TYPE = paramSlot('type');
const IMAGE = paramSlot('image');

export function onSetuid(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) >= 0) t.uid = s.uint(v, UID, NO_ID);
}

export function onSetgid(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) >= 0) t.gid = s.uint(v, GID, NO_ID);
}

/** setresuid, setreuid: the effective uid, unless left unchanged (-1). */
export function onSetresuid(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) < 0) return;
  const euid = s.uint(v, EUID, NO_ID);
  if (euid !== NO_ID) t.uid = euid;
}

/** setresgid, setregid: the effective gid, unless left unchanged (-1). */
export function onSetresgid(s: StateEngine, v: EventView, t: Thread): void {
  if (s.int(v, RES, -1) < 0) return;
  const egid = s.uint(v, EGID, NO_ID);
  if (egid !== NO_ID) t.gid = egid;
}

/** useradded / userdeleted: the host's user table (users of containers are not kept). */
export function userEvent(added: boolean): (s: StateEngine, v: EventView) => void {
  return (s, v) => {
    const uid = s.uint(v, UID, NO_ID);
    if ((s.str(v, CONTAINER_ID) ?? '') !== '') return;
    if (!added) {
      s.users.delete(uid);
      return;
    }
    s.users.set(uid, {
      uid,
      gid: s.uint(v, GID, NO_ID),
      name: s.str(v, NAME) ?? '',
      homedir: s.str(v, HOME) ?? '',
      shell: s.str(v, SHELL) ?? '',
    });
  };
}

/** groupadded / groupdeleted: the host's group table. */
export function groupEvent(added: boolean): (s: StateEngine, v: EventView) => void {
  return (s, v) => {
    const gid = s.uint(v, GID, NO_ID);
    if ((s.str(v, CONTAINER_ID) ?? '') !== '') return;
    if (!added) {
      s.groups.delete(gid);
      return;
    }
    s.groups.set(gid, { gid, name: s.str(v, NAME) ?? '' });
  };
}

/** The container event of current captures: a JSON description. */
export function onContainerJson(s: StateEngine, v: EventView): void {
  const json = s.str(v, JSON_);
  const info = json === undefined ? undefined : containerFromSysdigJson(json);
  if (!info) return;
  s.containers.set(info.id, info);
  if (v.tid === -1 || v.tid === 0xffffffff) s.thread = containerThread(info.id);
}

/** The container event of old captures: id, type, name, image. */
export function onContainerOld(s: StateEngine, v: EventView): void {
  const id = s.str(v, ID);
  if (id === undefined) return;
  s.containers.set(
    id,
    containerFromOldEvent(id, s.uint(v, TYPE, 0), s.str(v, NAME) ?? '', s.str(v, IMAGE) ?? ''),
  );
}

/** sinsp shows container events on a made-up thread named after the container. */
function containerThread(id: string): Thread {
  const t = new Thread(-1, -1);
  t.ptid = 0;
  // sinsp_container_info::get_tinfo: namespace ids -2, which -pc prints as thread.vtid.
  t.vtid = -2;
  t.vpid = -2;
  t.comm = `container:${id}`;
  t.exe = '';
  t.uid = 0;
  t.gid = 0;
  t.containerId = id;
  return t;
}
