// unbzip2-stream ships no types: a `through` stream (write/end, 'data' and 'error' events).
declare module 'unbzip2-stream' {
  import type { EventEmitter } from 'node:events';
  interface Unbzip2Stream extends EventEmitter {
    write(chunk: Buffer): boolean;
    end(): void;
  }
  export default function unbzip2Stream(): Unbzip2Stream;
}
