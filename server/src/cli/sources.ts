// What `klens analyze` reads, argument by argument: a file (or standard input) is one source; a
// folder gives one source per kernel log it holds, a rotated set (kern.log.2.gz, kern.log.1,
// kern.log) being one source read as one timeline, oldest first (folders.ts). A bundle's system
// files (sosreport, supportconfig) become the SystemState its logs are analysed with.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { systemStateFrom, type SystemState } from '../core/system-state';
import type { ZoneinfoZone } from '../core/zoneinfo';
import type { BuddyinfoZone } from '../core/buddyinfo';
import { visibleControls } from '../core/safe-text';
import { STDIN } from './args';
import {
  bundleName,
  bundlesIn,
  findSection,
  planFolder,
  supportconfigSections,
  type Layout,
  type SkippedFile,
  type SystemFileKind,
  type SystemFileRef,
} from './folders';
import { describeReadError, InputError, openInputs, type Input } from './input';

/** A folder argument, shared by the sources found in it. */
export interface FolderInfo {
  /** As given on the command line. */
  dir: string;
  layout: Layout;
  /** Files left out, with why (names that are no kernel log; logs that cannot be read). */
  skipped: SkippedFile[];
  /** The bundle's state (sosreport, supportconfig), null for a plain folder or a bundle without. */
  system: BundleSystem | null;
}

/** A bundle's system files as read: the analysis's SystemState and what the output shows. */
export interface BundleSystem {
  state: SystemState;
  /** Which file (and supportconfig section) gave each kind. */
  files: Partial<Record<SystemFileKind, string>>;
  zones: readonly ZoneinfoZone[];
  buddy: readonly BuddyinfoZone[];
}

export interface Source {
  /** The document's name: the file as given, or the set's current file under the folder. */
  label: string;
  /** Read in this order into one analysis: one input, or a rotated set oldest first. */
  inputs: Input[];
  /** From a folder: events name their file, the summary lists the files. */
  folder: FolderInfo | null;
}

/** System files larger than this are not read (a sysctl -a is some 100 kB, zoneinfo less). */
const SYSTEM_FILE_MAX_BYTES = 64 << 20;

function readSystemText(dir: string, ref: SystemFileRef, cache: Map<string, string | null>): string | null {
  let text = cache.get(ref.file);
  if (text === undefined) {
    const path = join(dir, ref.file);
    try {
      text = statSync(path).size > SYSTEM_FILE_MAX_BYTES ? null : readFileSync(path, 'utf8');
    } catch {
      text = null;
    }
    cache.set(ref.file, text);
  }
  if (text === null || ref.section === null) return text;
  return findSection(supportconfigSections(text), ref.section);
}

/** The bundle's sysctl -a, zoneinfo and buddyinfo as the analysis's SystemState. */
function bundleSystem(
  dir: string,
  refs: Partial<Record<SystemFileKind, SystemFileRef[]>>,
): BundleSystem | null {
  const cache = new Map<string, string | null>();
  const texts: Partial<Record<SystemFileKind, string>> = {};
  const files: Partial<Record<SystemFileKind, string>> = {};
  for (const kind of Object.keys(refs) as SystemFileKind[])
    for (const ref of refs[kind]!) {
      const text = readSystemText(dir, ref, cache);
      if (text === null || text.trim() === '') continue;
      texts[kind] = text;
      files[kind] = ref.section === null ? ref.file : `${ref.file} (${ref.section})`;
      break;
    }
  if (texts.sysctl === undefined && texts.zoneinfo === undefined && texts.buddyinfo === undefined)
    return null;
  const source = `${files.sysctl ?? files.zoneinfo ?? files.buddyinfo} of ${bundleName(dir)}`;
  const state = systemStateFrom(
    { sysctl: texts.sysctl, zoneinfo: texts.zoneinfo, buddyinfo: texts.buddyinfo, meminfo: texts.meminfo },
    source,
  );
  return {
    state,
    files,
    // parsed once, by systemStateFrom
    zones: state.zones ?? [],
    buddy: state.buddy ?? [],
  };
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** What the CLI looked for in a folder, for the error when it found none of it. */
const LOOKED_FOR =
  'messages*, syslog*, kern.log*, dmesg*, journalctl*, vmcore-dmesg.txt, or a sosreport or supportconfig';

/**
 * A folder's sources, each rotated set one: its logs opened (those that cannot be read skipped,
 * their one-line errors added to `problems`), its bundle's system files read. A folder with no
 * kernel log of its own but sosreports or supportconfigs one level down (where their archives
 * were extracted) gives theirs.
 */
async function openFolder(name: string, problems: string[]): Promise<Source[]> {
  // A folder that cannot be listed is an error of its own, not "no kernel log found" in it.
  try {
    readdirSync(name);
  } catch (err) {
    throw new InputError(describeReadError(err, name));
  }
  const plan = planFolder(name);
  const bundles = plan.layout === 'folder' && plan.sets.length === 0 ? bundlesIn(name) : [];
  const found: Source[] = [];
  try {
    for (const bundle of bundles) found.push(...(await openFolder(join(name, bundle), problems)));
    if (bundles.length > 0) return found;
    const folder: FolderInfo = { dir: name, layout: plan.layout, skipped: plan.skipped, system: null };
    for (const set of plan.sets) {
      const inputs: Input[] = [];
      for (const file of set.files) {
        try {
          inputs.push(...(await openInputs([file])));
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          const shown = visibleControls(file);
          const reason = err.message.startsWith(`${shown}: `)
            ? err.message.slice(shown.length + 2)
            : err.message;
          folder.skipped.push({ file: file.slice(name.length).replace(/^\/+/, ''), reason });
          problems.push(err.message);
        }
      }
      if (inputs.length > 0) found.push({ label: join(name, set.name), inputs, folder });
    }
    if (found.length === 0) {
      // links that lead out of the folder are not followed (folders.ts statWithin): say so, or a
      // folder of such links reads as one without logs
      const outside = plan.skipped.filter((f) => f.reason.startsWith('a link to outside'));
      const links =
        outside.length === 0
          ? ''
          : `; ${outside.length === 1 ? `${visibleControls(outside[0].file)} is a link` : `${outside.length} files are links`} to outside the folder, not followed`;
      throw new InputError(
        plan.sets.length === 0
          ? `${visibleControls(name)}: no kernel log found in this folder (looked for ${LOOKED_FOR})${links}`
          : `${visibleControls(name)}: none of its kernel logs can be read (${problems[problems.length - 1]})`,
      );
    }
    if (plan.layout !== 'folder') folder.system = bundleSystem(name, plan.system);
    return found;
  } catch (err) {
    await Promise.all(found.flatMap((s) => s.inputs.map((i) => i.close().catch(() => undefined))));
    throw err;
  }
}

/**
 * Opens every source before any is read, so an unreadable file fails before output starts. A
 * folder's logs that cannot be read are skipped with the reason and returned in `problems` (the
 * run then ends with exit status 2 after the rest was read); a folder with no readable kernel log
 * is an InputError.
 */
export async function openSources(
  names: readonly string[],
): Promise<{ sources: Source[]; problems: string[] }> {
  const sources: Source[] = [];
  const problems: string[] = [];
  try {
    for (const name of names) {
      if (name === STDIN || !isDirectory(name)) {
        const [input] = await openInputs([name]);
        sources.push({ label: name, inputs: [input], folder: null });
      } else sources.push(...(await openFolder(name, problems)));
    }
  } catch (err) {
    await Promise.all(sources.flatMap((s) => s.inputs.map((i) => i.close().catch(() => undefined))));
    throw err;
  }
  return { sources, problems };
}
