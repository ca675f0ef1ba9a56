// Every built-in chisel, in one list: the loader indexes it by name and `-cl` prints it by category.
import type { ChiselDefinition } from '../types.js';
import { lscontainers } from './state.js';
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
  topconns,
  fdbytesBy,
  lscontainers,
];
