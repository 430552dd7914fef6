/** A commit boundary: the stream had exactly `version` events, the last commit at `position`. */
export interface Boundary {
  version: number;
  position: number;
}

/**
 * Last boundary seen per stream, bounded (least recently used out). Commits are immutable, so a
 * boundary once seen stays a boundary forever: the cache can be behind the real head, never wrong.
 * It lets `append` right after `readStream` (what every command handler does) skip its check read.
 */
export class StreamHeads {
  private readonly heads = new Map<string, Boundary>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): Boundary | undefined {
    const head = this.heads.get(streamId);
    if (head) {
      this.heads.delete(streamId);
      this.heads.set(streamId, head);
    }
    return head;
  }

  remember(streamId: string, boundary: Boundary): void {
    const known = this.heads.get(streamId);
    if (known && known.version >= boundary.version) return;
    this.heads.delete(streamId);
    this.heads.set(streamId, boundary);
    if (this.heads.size > this.capacity) {
      const oldest = this.heads.keys().next().value as string;
      this.heads.delete(oldest);
    }
  }
}
