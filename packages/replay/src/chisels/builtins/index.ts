// Every built-in chisel, in one list: the loader indexes it by name and `-cl` prints it by category.
import type { ChiselDefinition } from '../types.js';
import { echoFds, iobytes, iobytesFile, iobytesNet, spyFile, spyUsers } from './io.js';
import { fdcountBy, topprocsCpu } from './procs.js';
import { lscontainers, lsof, netstat, proctree, ps } from './state.js';
import {
  fdbytesBy,
  topconns,
  topfilesBytes,
  topfilesTime,
  topprocsFile,
  topprocsNet,
  topscalls,
  topscallsTime,
} from './tops.js';

export const BUILTIN_CHISELS: readonly ChiselDefinition[] = [
  topscalls,
  topscallsTime,
  topfilesBytes,
  topfilesTime,
  topprocsNet,
  topprocsFile,
  topprocsCpu,
  topconns,
  fdbytesBy,
  fdcountBy,
  iobytes,
  iobytesFile,
  iobytesNet,
  echoFds,
  spyFile,
  spyUsers,
  lscontainers,
  ps,
  lsof,
  netstat,
  proctree,
];
