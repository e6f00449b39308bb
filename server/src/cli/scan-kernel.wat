;; The byte-scanning kernel of the CLI's reader (see scan-kernel.ts): counts newlines and finds the
;; first occurrence of any of a few short byte strings (the core's REPORT_ANCHORS), 16 bytes at a
;; time with WebAssembly SIMD. It knows nothing about kernels: the strings are data.
;;
;; Memory layout (one memory, exported; the reader's window is a view of it):
;;   0         i32  number of patterns (0..8)
;;   64 + 64k  pattern k (k < 8): +0 i32 length (1..16), +16 v128 first byte splat, +32 v128 last
;;             byte splat, +48 the bytes (16). Slots 0–3 beyond the count hold a copy of pattern 0.
;;   1024      the window the reader fills; at least 32 bytes of slack must follow the last byte
;;             scanned (unaligned loads read up to 31 bytes past a block).
;;
;; Rebuild after a change: `npm run build:scan-kernel` (scripts/build-scan-kernel.mjs, npm's wabt)
;; writes the base64 into KERNEL_WASM in scan-kernel.ts; `npm run test:fast` fails while it is stale.
(module
  (memory (export "memory") 4)

  ;; Number of 0x0A bytes in [pos, end).
  (func (export "count") (param $pos i32) (param $end i32) (result i32)
    (local $n i32)
    (local $nl v128)
    (local.set $nl (i8x16.splat (i32.const 10)))
    (block $vdone
      (loop $vec
        (br_if $vdone (i32.gt_u (i32.add (local.get $pos) (i32.const 16)) (local.get $end)))
        (local.set $n
          (i32.add (local.get $n)
            (i32.popcnt (i8x16.bitmask (i8x16.eq (v128.load (local.get $pos)) (local.get $nl))))))
        (local.set $pos (i32.add (local.get $pos) (i32.const 16)))
        (br $vec)))
    (block $tdone
      (loop $tail
        (br_if $tdone (i32.ge_u (local.get $pos) (local.get $end)))
        (if (i32.eq (i32.load8_u (local.get $pos)) (i32.const 10))
          (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (br $tail)))
    (local.get $n))

  ;; 1 when some pattern occurs at $p and ends at or before $end.
  (func $matchAt (param $p i32) (param $end i32) (result i32)
    (local $k i32)
    (local $entry i32)
    (local $len i32)
    (local $j i32)
    (block $none
      (loop $patterns
        (br_if $none (i32.ge_u (local.get $k) (i32.load (i32.const 0))))
        (local.set $entry (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 6))))
        (local.set $len (i32.load (local.get $entry)))
        (if (i32.le_u (i32.add (local.get $p) (local.get $len)) (local.get $end))
          (then
            (local.set $j (i32.const 0))
            (block $differ
              (loop $bytes
                (if (i32.ge_u (local.get $j) (local.get $len)) (then (return (i32.const 1))))
                (br_if $differ
                  (i32.ne
                    (i32.load8_u (i32.add (local.get $p) (local.get $j)))
                    (i32.load8_u (i32.add (i32.add (local.get $entry) (i32.const 48)) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $bytes)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $patterns)))
    (i32.const 0))

;; Offset of the first pattern occurrence lying wholly in [pos, end), or -1.
  ;; A byte is a candidate where some pattern's first byte matches there and its last byte matches
  ;; len - 1 further; candidates are then compared byte by byte. The four patterns' vectors are held
  ;; in locals (slots beyond the pattern count repeat pattern 0, so they add no candidates).
  (func (export "find") (param $pos i32) (param $end i32) (result i32)
    (local $i i32)
    (local $block v128)
    (local $hits v128)
    (local $f0 v128) (local $l0 v128) (local $d0 i32)
    (local $f1 v128) (local $l1 v128) (local $d1 i32)
    (local $f2 v128) (local $l2 v128) (local $d2 i32)
    (local $f3 v128) (local $l3 v128) (local $d3 i32)
    (local $bits i32)
    (local $p i32)
    (if (i32.eqz (i32.load (i32.const 0))) (then (return (i32.const -1))))
    (local.set $f0 (v128.load (i32.const 80)))
    (local.set $l0 (v128.load (i32.const 96)))
    (local.set $d0 (i32.sub (i32.load (i32.const 64)) (i32.const 1)))
    (local.set $f1 (v128.load (i32.const 144)))
    (local.set $l1 (v128.load (i32.const 160)))
    (local.set $d1 (i32.sub (i32.load (i32.const 128)) (i32.const 1)))
    (local.set $f2 (v128.load (i32.const 208)))
    (local.set $l2 (v128.load (i32.const 224)))
    (local.set $d2 (i32.sub (i32.load (i32.const 192)) (i32.const 1)))
    (local.set $f3 (v128.load (i32.const 272)))
    (local.set $l3 (v128.load (i32.const 288)))
    (local.set $d3 (i32.sub (i32.load (i32.const 256)) (i32.const 1)))
    (local.set $i (local.get $pos))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $block (v128.load (local.get $i)))
        (local.set $hits
          (v128.or
            (v128.or
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f0))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d0))) (local.get $l0)))
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f1))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d1))) (local.get $l1))))
            (v128.or
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f2))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d2))) (local.get $l2)))
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f3))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d3))) (local.get $l3))))))
        (if (v128.any_true (local.get $hits))
          (then
            (local.set $bits (i8x16.bitmask (local.get $hits)))
            (block $next
              (loop $candidates
                (br_if $next (i32.eqz (local.get $bits)))
                (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $bits))))
                (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
                (if (call $matchAt (local.get $p) (local.get $end)) (then (return (local.get $p))))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br $candidates)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (i32.const -1))

  ;; `find` for exactly five patterns (the core's anchors since the `Linux version` banner joined
  ;; them), all five in locals. A kernel per count, because every slot costs its two compares per
  ;; 16 bytes even when it only repeats pattern 0 (200 MB syslog, five patterns: find_n 90 ms,
  ;; five slots 50 ms, six slots 65 ms, eight slots 115 ms, where spills begin).
  (func (export "find5") (param $pos i32) (param $end i32) (result i32)
    (local $i i32)
    (local $block v128)
    (local $hits v128)
    (local $f0 v128) (local $l0 v128) (local $d0 i32)
    (local $f1 v128) (local $l1 v128) (local $d1 i32)
    (local $f2 v128) (local $l2 v128) (local $d2 i32)
    (local $f3 v128) (local $l3 v128) (local $d3 i32)
    (local $f4 v128) (local $l4 v128) (local $d4 i32)
    (local $bits i32)
    (local $p i32)
    (if (i32.eqz (i32.load (i32.const 0))) (then (return (i32.const -1))))
    (local.set $f0 (v128.load (i32.const 80)))
    (local.set $l0 (v128.load (i32.const 96)))
    (local.set $d0 (i32.sub (i32.load (i32.const 64)) (i32.const 1)))
    (local.set $f1 (v128.load (i32.const 144)))
    (local.set $l1 (v128.load (i32.const 160)))
    (local.set $d1 (i32.sub (i32.load (i32.const 128)) (i32.const 1)))
    (local.set $f2 (v128.load (i32.const 208)))
    (local.set $l2 (v128.load (i32.const 224)))
    (local.set $d2 (i32.sub (i32.load (i32.const 192)) (i32.const 1)))
    (local.set $f3 (v128.load (i32.const 272)))
    (local.set $l3 (v128.load (i32.const 288)))
    (local.set $d3 (i32.sub (i32.load (i32.const 256)) (i32.const 1)))
    (local.set $f4 (v128.load (i32.const 336)))
    (local.set $l4 (v128.load (i32.const 352)))
    (local.set $d4 (i32.sub (i32.load (i32.const 320)) (i32.const 1)))
    (local.set $i (local.get $pos))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $block (v128.load (local.get $i)))
        (local.set $hits
          (v128.or
            (v128.or
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f0))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d0))) (local.get $l0)))
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f1))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d1))) (local.get $l1))))
            (v128.or
              (v128.or
                (v128.and
                  (i8x16.eq (local.get $block) (local.get $f2))
                  (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d2))) (local.get $l2)))
                (v128.and
                  (i8x16.eq (local.get $block) (local.get $f3))
                  (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d3))) (local.get $l3))))
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f4))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d4))) (local.get $l4))))))
        (if (v128.any_true (local.get $hits))
          (then
            (local.set $bits (i8x16.bitmask (local.get $hits)))
            (block $next
              (loop $candidates
                (br_if $next (i32.eqz (local.get $bits)))
                (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $bits))))
                (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
                (if (call $matchAt (local.get $p) (local.get $end)) (then (return (local.get $p))))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br $candidates)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (i32.const -1))

  ;; `find` for exactly six patterns (the CLI reader's: the core's five anchors and the
  ;; quoted-printable `=3D`, parse.ts READER_ANCHORS), all six in locals (six slots 65 ms on the
  ;; 200 MB syslog above, find_n 90 ms).
  (func (export "find6") (param $pos i32) (param $end i32) (result i32)
    (local $i i32)
    (local $block v128)
    (local $hits v128)
    (local $f0 v128) (local $l0 v128) (local $d0 i32)
    (local $f1 v128) (local $l1 v128) (local $d1 i32)
    (local $f2 v128) (local $l2 v128) (local $d2 i32)
    (local $f3 v128) (local $l3 v128) (local $d3 i32)
    (local $f4 v128) (local $l4 v128) (local $d4 i32)
    (local $f5 v128) (local $l5 v128) (local $d5 i32)
    (local $bits i32)
    (local $p i32)
    (if (i32.eqz (i32.load (i32.const 0))) (then (return (i32.const -1))))
    (local.set $f0 (v128.load (i32.const 80)))
    (local.set $l0 (v128.load (i32.const 96)))
    (local.set $d0 (i32.sub (i32.load (i32.const 64)) (i32.const 1)))
    (local.set $f1 (v128.load (i32.const 144)))
    (local.set $l1 (v128.load (i32.const 160)))
    (local.set $d1 (i32.sub (i32.load (i32.const 128)) (i32.const 1)))
    (local.set $f2 (v128.load (i32.const 208)))
    (local.set $l2 (v128.load (i32.const 224)))
    (local.set $d2 (i32.sub (i32.load (i32.const 192)) (i32.const 1)))
    (local.set $f3 (v128.load (i32.const 272)))
    (local.set $l3 (v128.load (i32.const 288)))
    (local.set $d3 (i32.sub (i32.load (i32.const 256)) (i32.const 1)))
    (local.set $f4 (v128.load (i32.const 336)))
    (local.set $l4 (v128.load (i32.const 352)))
    (local.set $d4 (i32.sub (i32.load (i32.const 320)) (i32.const 1)))
    (local.set $f5 (v128.load (i32.const 400)))
    (local.set $l5 (v128.load (i32.const 416)))
    (local.set $d5 (i32.sub (i32.load (i32.const 384)) (i32.const 1)))
    (local.set $i (local.get $pos))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $block (v128.load (local.get $i)))
        (local.set $hits
          (v128.or
            (v128.or
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f0))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d0))) (local.get $l0)))
              (v128.and
                (i8x16.eq (local.get $block) (local.get $f1))
                (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d1))) (local.get $l1))))
            (v128.or
              (v128.or
                (v128.and
                  (i8x16.eq (local.get $block) (local.get $f2))
                  (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d2))) (local.get $l2)))
                (v128.and
                  (i8x16.eq (local.get $block) (local.get $f3))
                  (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d3))) (local.get $l3))))
              (v128.or
                (v128.and
                  (i8x16.eq (local.get $block) (local.get $f4))
                  (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d4))) (local.get $l4)))
                (v128.and
                  (i8x16.eq (local.get $block) (local.get $f5))
                  (i8x16.eq (v128.load (i32.add (local.get $i) (local.get $d5))) (local.get $l5)))))))
        (if (v128.any_true (local.get $hits))
          (then
            (local.set $bits (i8x16.bitmask (local.get $hits)))
            (block $next
              (loop $candidates
                (br_if $next (i32.eqz (local.get $bits)))
                (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $bits))))
                (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
                (if (call $matchAt (local.get $p) (local.get $end)) (then (return (local.get $p))))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br $candidates)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (i32.const -1))

  ;; The same for up to 8 patterns, looping over the table (slower per byte than `find`).
  (func (export "find_n") (param $pos i32) (param $end i32) (result i32)
    (local $i i32)
    (local $block v128)
    (local $hits v128)
    (local $k i32)
    (local $count i32)
    (local $entry i32)
    (local $bits i32)
    (local $p i32)
    (local.set $count (i32.load (i32.const 0)))
    (if (i32.eqz (local.get $count)) (then (return (i32.const -1))))
    (local.set $i (local.get $pos))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $block (v128.load (local.get $i)))
        (local.set $hits (v128.const i64x2 0 0))
        (local.set $k (i32.const 0))
        (loop $patterns
          (local.set $entry (i32.add (i32.const 64) (i32.shl (local.get $k) (i32.const 6))))
          (local.set $hits
            (v128.or (local.get $hits)
              (v128.and
                (i8x16.eq (local.get $block) (v128.load offset=16 (local.get $entry)))
                (i8x16.eq
                  (v128.load (i32.sub (i32.add (local.get $i) (i32.load (local.get $entry))) (i32.const 1)))
                  (v128.load offset=32 (local.get $entry))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $patterns (i32.lt_u (local.get $k) (local.get $count))))
        (if (v128.any_true (local.get $hits))
          (then
            (local.set $bits (i8x16.bitmask (local.get $hits)))
            (block $next
              (loop $candidates
                (br_if $next (i32.eqz (local.get $bits)))
                (local.set $p (i32.add (local.get $i) (i32.ctz (local.get $bits))))
                (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const -1))))
                (if (call $matchAt (local.get $p) (local.get $end)) (then (return (local.get $p))))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br $candidates)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (i32.const -1))
)
