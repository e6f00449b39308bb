// A vmalloc failure: which step of mm/vmalloc.c failed, read from the message each version prints,
// and what that step means for the verdict. vmalloc first checks the size, then finds a free range of
// the vmalloc address space (__get_vm_area_node → alloc_vmap_area), then allocates the array of
// page pointers, then the pages one by one (or in bulk), then maps them (vmap_pages_range); each
// step has its own message from 5.13 on, and ≤5.12 printed two (mm/vmalloc.c __vmalloc_node_range,
// __vmalloc_area_node of 3.14, 4.9, 5.10, 5.13, 5.15, 6.6, 6.8, 6.19).

import type { Report, VmallocStep } from './model';
import type { Verdict } from './analysis-types';

/** The step a vmalloc message names, most specific first (data: one row per printk text). */
const STEPS: readonly { step: VmallocStep; re: RegExp }[] = [
  // 5.13 `vmalloc size %lu allocation failure: exceeds total pages`, 5.14+ `vmalloc error: size %lu,
  // exceeds total pages` (__vmalloc_node_range: `(size >> PAGE_SHIFT) > totalram_pages()`)
  { step: 'too_large', re: /exceeds\s+total\s+pages/ },
  // 5.13 `… allocation failure: vm_struct allocation failed`, 5.14+ `vmalloc error: size %lu,
  // vm_struct allocation failed[. Retrying.]` (__get_vm_area_node returned NULL)
  { step: 'area', re: /vm_struct\s+allocation\s+failed/ },
  // 5.13 `… page array size %lu allocation failed`, 5.14+ `failed to allocated page array size %lu`
  { step: 'page_array', re: /page\s+array\s+size/ },
  // 5.13 `… failed to map pages`, 5.14+ `vmalloc error: size %lu, failed to map pages`
  { step: 'map', re: /failed\s+to\s+map\s+pages/ },
  // ≤5.12 `vmalloc: allocation failure, allocated %ld of %ld bytes`; 5.13 `page order %u allocation
  // failed`; 5.14–6.3 `page order %u, failed to allocate pages`; 6.6–6.19 `failed to allocate pages`
  {
    step: 'pages',
    re: /allocation\s+failure,\s*allocated\s+\d|page\s+order\s+\d+\s+allocation\s+failed|failed\s+to\s+allocate\s+pages/,
  },
  // 3.x–5.12 (2.6.32 printed none) `vmalloc: allocation failure: %lu bytes` (__vmalloc_node_range `fail:`)
  { step: 'size', re: /vmalloc:\s*allocation\s+failure:\s*\d+\s*bytes/ },
];

/** The step of a vmalloc message (null: none of the texts, e.g. a header cut before them). */
export function vmallocStepOf(text: string): VmallocStep | null {
  for (const s of STEPS) if (s.re.test(text)) return s.step;
  return null;
}

/** The message from `vmalloc` to before `, mode:` (or the line's end), blanks folded. */
export function vmallocMessageOf(text: string): string | null {
  const at = text.search(/vmalloc(?::|\s+error:|\s+size\s)/);
  if (at < 0) return null;
  const rest = text.slice(at);
  const mode = rest.search(/,\s*mode:/);
  return (mode < 0 ? rest : rest.slice(0, mode)).replace(/\s+/g, ' ').trim();
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `N bytes`, or `N bytes (M pages)` when the report shows its page size (the buddy lines). */
function bytesText(bytes: number, pageSizeKb: number | null): string {
  const page = (pageSizeKb ?? 0) * 1024;
  return page > 0 && bytes > 0 && bytes % page === 0
    ? `${bytes} bytes (${plural(bytes / page, 'page')})`
    : `${bytes} bytes`;
}

/** How the vmalloc message sizes the request, for the summary: `of N bytes`, or what was allocated
 * when the message prints only that (5.13+ page and map steps). */
export function vmallocSizeWords(r: Report): string {
  if (r.vmallocBytes !== null) return `of ${r.vmallocBytes} bytes`;
  if (r.vmallocStep === 'map' && r.vmallocAllocatedBytes !== null)
    return `of ${r.vmallocAllocatedBytes} bytes`;
  if (r.vmallocAllocatedBytes !== null) return `with ${r.vmallocAllocatedBytes} bytes allocated`;
  return 'of ? bytes';
}

/** What alloc_vmap_area's line before the report says, for the verdict. */
function vmapText(r: Report, caller: string | null): string {
  const v = r.vmapFailed!;
  const size = v.bytes !== null ? ` of ${v.bytes} bytes (the request and its guard page)` : '';
  return v.range !== null
    ? `alloc_vmap_area found no free range${size} in ${v.range}, the range this caller is restricted to (its line just before the report)`
    : `alloc_vmap_area found no free range${size} in ${caller ? `the range ${caller} asked for` : 'the vmalloc address space'} (its \`vmap allocation for size … failed\` line just before the report)`;
}

/** Callers that give __vmalloc_node_range the module (executable) range instead of
 * VMALLOC_START…VMALLOC_END: module_alloc (arch/…/kernel/module.c, 2.6.x–6.9; arm64:
 * module_alloc_base + MODULES_VSIZE, 128 MiB, tried again wider only with CONFIG_ARM64_MODULE_PLTS),
 * execmem_alloc (mm/execmem.c, 6.10+), and bpf_jit_alloc_exec (kernel/bpf/core.c, which calls
 * module_alloc). Kprobes' alloc_insn_page calls one of them. */
const EXECUTABLE_RANGE_CALLERS = new Set(['module_alloc', 'execmem_alloc', 'bpf_jit_alloc_exec']);

function executableRangeCaller(r: Report): string | null {
  for (const f of r.callTrace)
    if (!f.unreliable && EXECUTABLE_RANGE_CALLERS.has(f.function)) return f.function;
  return null;
}

const moduleSpaceAdvice = (caller: string): string =>
  `The range that ran out is the one ${caller} asks for. On architectures with a module area (MODULES_VADDR…MODULES_END: ` +
  'x86-64, 32-bit arm, arm64 — 128 MiB there, tried again wider only with CONFIG_ARM64_MODULE_PLTS) that is not the general vmalloc area, ' +
  'and the vmalloc=<size> boot option does not enlarge it: loaded modules, BPF JIT images and kprobe instruction pages fill it ' +
  '(lsmod; /proc/vmallocinfo names each area by its caller). Where the architecture has none (64-bit powerpc), it is the vmalloc area itself.';

const NO_SPACE_ADVICE =
  'The address space ran out, not memory: on 32-bit kernels the vmalloc area is small (the vmalloc=<size> boot option enlarges it); ' +
  'on 64-bit it means vmalloc/vmap areas leaked or fragmented the range (/proc/vmallocinfo lists who holds them).';

export interface VmallocVerdict {
  verdict: Verdict;
  text: string;
  short: string;
}

/**
 * The verdict a vmalloc failure's message decides by itself (null: the failed step is a page
 * allocation, replayed against the zones like any other; `note` then prefixes that verdict).
 */
export function vmallocVerdict(
  r: Report,
): { decided: VmallocVerdict } | { note: string; shortNote: string } | null {
  if (r.kind !== 'vmalloc_failure') return null;
  const step = r.vmallocStep;
  const bytes = r.vmallocBytes;
  // only when the report has zone lines to show (a report cut before the Mem-Info has none)
  const context = r.zones.length > 0 ? ' The zones below are shown for context only.' : '';
  if (step === 'size' && bytes === 0)
    return {
      decided: {
        verdict: 'not_applicable',
        text: `Not a shortage of pages: a 0-byte request is rejected by the size check in __vmalloc_node_range before any page is allocated.${context}`,
        short: '0-byte vmalloc rejected (not a memory shortage)',
      },
    };
  const pagesRam = r.ramPages;
  const pageSizeKb = r.pageSizeKb;
  // `N pages RAM` counts present pages, at least totalram_pages (managed): more than it is too large
  const largerThanRam =
    bytes !== null &&
    pagesRam !== null &&
    pageSizeKb !== null &&
    Math.floor(bytes / (pageSizeKb * 1024)) > pagesRam;
  if (step === 'too_large' || (step === 'size' && largerThanRam))
    return {
      decided: {
        verdict: 'not_applicable',
        text:
          `Not a shortage of pages: the ${bytes ?? '?'}-byte request is larger than all RAM (size >> PAGE_SHIFT > totalram_pages()` +
          (pagesRam !== null ? `; the report prints ${pagesRam} pages RAM` : '') +
          '), which __vmalloc_node_range refuses before it looks for address space or allocates a page: the caller asked for an impossible size ' +
          `(an unchecked length), and no setting makes it succeed.${context}`,
        short: 'vmalloc larger than RAM (not a memory shortage)',
      },
    };
  if ((step === 'size' || step === 'area') && r.vmapFailed !== null) {
    const caller = executableRangeCaller(r);
    return {
      decided: {
        verdict: 'not_applicable',
        text: `Not a shortage of pages: ${vmapText(r, caller)}, so __get_vm_area_node returned NULL and vmalloc gave up before it allocated any page. ${caller ? moduleSpaceAdvice(caller) : NO_SPACE_ADVICE}${context}`,
        short: caller
          ? `no free range where ${caller} allocates (not a page shortage)`
          : 'vmalloc address space exhausted (not a page shortage)',
      },
    };
  }
  if (step === 'area' || step === 'size') {
    const causes =
      step === 'area'
        ? '`vm_struct allocation failed` is printed whenever __get_vm_area_node returns NULL (mm/vmalloc.c 5.13+): '
        : '`vmalloc: allocation failure: N bytes` is printed by __vmalloc_node_range (mm/vmalloc.c 3.x–5.12) for a size larger than totalram_pages' +
          (bytes !== null && pagesRam !== null
            ? ` (not this one: ${bytesText(bytes, pageSizeKb)} ≤ ${pagesRam} pages RAM)`
            : '') +
          ' and whenever __get_vm_area_node returns NULL: ';
    return {
      decided: {
        verdict: 'undecidable',
        text:
          `Undecidable: ${causes}either the vmalloc address space had no free range for ${bytes ?? '?'} bytes ` +
          '(alloc_vmap_area then prints `vmap allocation for size … failed` just before the report, unless __GFP_NOWARN or the printk rate limit hid it; this log has no such line there) ' +
          'or the small kmalloc of the area descriptors (vm_struct, vmap_area) failed. No page of the area had been allocated. ' +
          'The lines before the report and /proc/vmallocinfo tell which.',
        short: 'vmalloc: no address space or no descriptor (undecidable)',
      },
    };
  }
  if (step === 'page_array')
    return {
      decided: {
        verdict: 'not_applicable',
        text:
          `The array of page pointers for the ${bytes ?? '?'}-byte area (kmalloc, or a nested vmalloc above one page) could not be allocated, ` +
          'before any page of the area (__vmalloc_area_node, 5.13+): that nested allocation prints its own failure report just before this one, and that report is the one to read.' +
          context,
        short: 'vmalloc page-pointer array not allocated',
      },
    };
  if (step === 'map') {
    const allocated = r.vmallocAllocatedBytes;
    return {
      decided: {
        verdict: 'not_applicable',
        text:
          `Not a shortage of the area's pages: all ${allocated !== null ? bytesText(allocated, pageSizeKb) : 'the pages'} were allocated, ` +
          'then vmap_pages_range could not map them (__vmalloc_area_node, 5.13+): a page-table page could not be allocated ' +
          '(GFP_KERNEL-like, within this request’s nofs/noio scope), and vmalloc freed the pages again.' +
          context,
        short: 'vmalloc pages allocated; mapping them failed',
      },
    };
  }
  if (step === 'pages') {
    const allocated = r.vmallocAllocatedBytes;
    const got =
      allocated === null
        ? ''
        : `vmalloc had ${allocated === 0 ? 'allocated nothing' : `allocated ${bytesText(allocated, pageSizeKb)}`}${bytes !== null ? ` of ${bytes} bytes` : ''} when a page allocation failed`;
    const order = r.order ?? 0;
    if (order > 0)
      return {
        note:
          `${got || 'vmalloc failed to allocate its pages'} at order ${order}: it tried huge pages for this area, and on that failure ` +
          '__vmalloc_node_range retries the whole area with order-0 pages (its `fail:` path, 5.13+), so this warning does not mean the vmalloc failed ' +
          '(5.13–6.3 print it for any order; 6.6 prints it only at order 0). The order-' +
          `${order} attempt: `,
        shortNote: `order-${order} huge-page attempt, retried with order-0 pages: `,
      };
    return got === '' ? null : { note: `${got}. `, shortNote: '' };
  }
  return null;
}

/** What the failure means for the caller, by the step that failed. */
export function vmallocImpact(r: Report, verdict: Verdict): string {
  if (r.vmallocStep === 'pages' && (r.order ?? 0) > 0)
    return 'Probably none: vmalloc retries the area with order-0 pages after a huge-page attempt fails (__vmalloc_node_range, 5.13+), and only a failure there reaches the caller.';
  if (r.vmallocStep === 'map')
    return 'The caller got NULL although the pages were there: vmalloc freed them again after the mapping failed; it usually fails the operation with -ENOMEM.';
  if (r.vmallocStep === 'page_array')
    return 'The caller got NULL before any page of the area was allocated; it usually fails the operation with -ENOMEM.';
  if (verdict === 'not_applicable' || (verdict === 'undecidable' && r.vmallocStep !== 'pages'))
    return 'The caller got NULL for a request that could not succeed as asked (size or address space), whatever the free memory.';
  return 'The caller got NULL after part of the vmalloc area was allocated; it usually fails the operation with -ENOMEM.';
}
