// unbzip2-stream ships no types: its block decoder (lib/bzip2.js) and bit reader
// (lib/bit_iterator.js), which compression.ts drives.
declare module 'unbzip2-stream/lib/bit_iterator.js' {
  interface BitReader {
    (n: number | null): number;
    bytesRead: number;
  }
  export default function bitIterator(nextBuffer: () => Uint8Array): BitReader;
}
declare module 'unbzip2-stream/lib/bzip2.js' {
  type BitReader = ((n: number | null) => number) & { bytesRead: number };
  const bzip2: {
    /** Reads "BZh" and the block size digit; returns the block size (1–9). */
    header(bits: BitReader): number;
    /** Decodes one block into `out` byte by byte; the stream CRC so far, or null at the stream's end. */
    decompress(
      bits: BitReader,
      out: (byte: number) => void,
      buf: Int32Array,
      bufsize: number,
      streamCRC: number,
    ): number | null;
  };
  export default bzip2;
}
