// Opening the viewer in the user's browser, when there is one to open: on Linux only under a graphical
// session (DISPLAY or WAYLAND_DISPLAY), never from an ssh session without one (the URL is printed instead,
// to open through a tunnel). The opening itself is the `open` package's (xdg-open, open, start).
import { platform } from 'node:process';

export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Opens `url`; resolves false (and says nothing) when the launcher fails: the URL is printed anyway. */
export async function openBrowser(url: string): Promise<boolean> {
  try {
    const { default: open } = await import('open');
    const child = await open(url);
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
