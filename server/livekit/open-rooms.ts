/**
 * Rooms this process has created (or found existing) recently, so a join does not call
 * LiveKit's CreateRoom again. An entry is trusted for less than the room's departure
 * timeout: LiveKit keeps a room at least that long after it is created, whoever joins
 * and leaves, so only the kit's own DeleteRoom can end it sooner, and that forgets it.
 */
export class OpenRooms {
  private readonly openUntil = new Map<string, number>();

  constructor(
    /** How long a creation is trusted, in ms; must stay below the room's departure timeout. */
    private readonly trustMs: number,
    private readonly now: () => number = Date.now,
    /** Bound on remembered rooms; the oldest entries go first. */
    private readonly maxEntries = 10_000,
  ) {}

  /** Whether the room was created within the trusted window. */
  isOpen(room: string): boolean {
    const until = this.openUntil.get(room);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.openUntil.delete(room);
    return false;
  }

  /** Records that the room exists now. */
  opened(room: string): void {
    this.openUntil.delete(room);
    this.openUntil.set(room, this.now() + this.trustMs);
    // Map iteration follows insertion order, so the first keys are the oldest.
    for (const oldest of this.openUntil.keys()) {
      if (this.openUntil.size <= this.maxEntries) break;
      this.openUntil.delete(oldest);
    }
  }

  /** Forgets the room, e.g. when the kit deletes it. */
  closed(room: string): void {
    this.openUntil.delete(room);
  }
}
