// The PPM_O_* open flags of the scap event layout (libs' driver/ppm_events_public.h), written down here
// on their own so that the kernel tests check the probe against the driver ABI, not against the schema
// the probe and the readers are generated from.
export const PPM_O_RDONLY = 1 << 0;
export const PPM_O_WRONLY = 1 << 1;
export const PPM_O_RDWR = PPM_O_RDONLY | PPM_O_WRONLY;
export const PPM_O_CREAT = 1 << 2;
export const PPM_O_APPEND = 1 << 3;
export const PPM_O_DSYNC = 1 << 4;
export const PPM_O_NONBLOCK = 1 << 6;
export const PPM_O_SYNC = 1 << 7;
export const PPM_O_TRUNC = 1 << 8;
export const PPM_O_DIRECTORY = 1 << 10;
export const PPM_O_CLOEXEC = 1 << 12;
export const PPM_O_F_CREATED = 1 << 14;
