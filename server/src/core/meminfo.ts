// /proc/meminfo: `Name:   value kB` per line (fs/proc/meminfo.c meminfo_proc_show: show_val_kb
// prints `%s%8lu kB`; HugePages_Total/Free/Rsvd/Surp are bare counts). Read for the RAM it states
// (MemTotal = totalram_pages, i.e. the managed pages of every zone) and the free figures.

import { COUNT, readInt } from './numbers';
import { splitLines } from './sysctl-file';

/** Each field with its value: kB where the line says `kB`, else the bare count. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of splitLines(text)) {
    if (line.length > 256) continue;
    const m = /^([A-Za-z][\w()]*):\s+(\d+)(?: kB)?\s*$/.exec(line);
    if (!m) continue;
    const v = readInt(m[2], COUNT);
    if (v !== null) out.set(m[1], v);
  }
  return out;
}
