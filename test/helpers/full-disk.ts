import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { tempDir } from './temp.js';

const require = createRequire(import.meta.url);

/**
 * A small disk that can be filled: a real tmpfs where the machine allows mounting one (root, a
 * container with CAP_SYS_ADMIN), otherwise the same folder on the ordinary disk with ENOSPC injected
 * into every write of a file under it (node:fs and node:fs/promises, through their ESM exports).
 * `fill()` makes the disk refuse writes, `free()` gives room back.
 */
export interface FullDisk {
  dir: string;
  kind: 'tmpfs' | 'injected';
  fill(): void;
  free(): void;
  release(): void;
}

const enospc = (path?: string) =>
  Object.assign(new Error(`ENOSPC: no space left on device, write${path ? ` '${path}'` : ''}`), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
    ...(path ? { path } : {}),
  });

export function smallDisk(sizeBytes = 2 * 1024 * 1024): FullDisk {
  const dir = tempDir('mlbot-disk-');
  if (process.env.FULL_DISK !== 'injected') {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
      return tmpfsDisk(dir);
    } catch {
      // not allowed here: inject instead
    }
  }
  return injectedDisk(dir);
}

function tmpfsDisk(dir: string): FullDisk {
  const filler = join(dir, 'filler.bin');
  return {
    dir,
    kind: 'tmpfs',
    fill() {
      // Writes until the file system refuses, in ever smaller pieces: then it is full to the byte.
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (const size of [64 * 1024, 4096, 256, 1]) {
          try {
            for (;;) writeSync(fd, chunk, 0, size);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    release() {
      rmSync(filler, { force: true });
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    },
  };
}

function injectedDisk(dir: string): FullDisk {
  const fs = require('node:fs') as typeof import('node:fs');
  const fsp = require('node:fs/promises') as typeof import('node:fs/promises');
  const original = {
    openSync: fs.openSync,
    writeSync: fs.writeSync,
    writeFile: fsp.writeFile,
    appendFile: fsp.appendFile,
  };
  const under = (p: unknown) => typeof p === 'string' && p.startsWith(dir);
  const fds = new Set<number>();
  let full = false;
  fs.openSync = ((path: string, ...rest: unknown[]) => {
    const fd = (original.openSync as (...a: unknown[]) => number)(path, ...rest);
    if (under(path)) fds.add(fd);
    return fd;
  }) as typeof fs.openSync;
  fs.writeSync = ((fd: number, ...rest: unknown[]) => {
    if (full && fds.has(fd)) throw enospc();
    return (original.writeSync as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync;
  fsp.writeFile = ((path: unknown, ...rest: unknown[]) =>
    full && under(path)
      ? Promise.reject(enospc(String(path)))
      : (original.writeFile as (...a: unknown[]) => Promise<void>)(path, ...rest)) as typeof fsp.writeFile;
  fsp.appendFile = ((path: unknown, ...rest: unknown[]) =>
    full && under(path)
      ? Promise.reject(enospc(String(path)))
      : (original.appendFile as (...a: unknown[]) => Promise<void>)(path, ...rest)) as typeof fsp.appendFile;
  syncBuiltinESMExports();
  return {
    dir,
    kind: 'injected',
    fill: () => void (full = true),
    free: () => void (full = false),
    release() {
      Object.assign(fs, { openSync: original.openSync, writeSync: original.writeSync });
      Object.assign(fsp, { writeFile: original.writeFile, appendFile: original.appendFile });
      syncBuiltinESMExports();
    },
  };
}
