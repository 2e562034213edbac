import { describe, expect, it } from "vitest";
import { OpenRooms } from "./open-rooms.js";

describe("OpenRooms", () => {
  it("trusts a creation for the window only", () => {
    let t = 1_000;
    const rooms = new OpenRooms(30_000, () => t);
    expect(rooms.isOpen("iv-1")).toBe(false);
    rooms.opened("iv-1");
    t += 29_999;
    expect(rooms.isOpen("iv-1")).toBe(true);
    t += 1;
    expect(rooms.isOpen("iv-1")).toBe(false);
  });

  it("forgets a room the kit deleted", () => {
    const rooms = new OpenRooms(30_000, () => 0);
    rooms.opened("iv-1");
    rooms.closed("iv-1");
    expect(rooms.isOpen("iv-1")).toBe(false);
  });

  it("keeps at most maxEntries, dropping the oldest", () => {
    const rooms = new OpenRooms(30_000, () => 0, 2);
    rooms.opened("a");
    rooms.opened("b");
    rooms.opened("a"); // refreshed: now newer than b
    rooms.opened("c");
    expect([rooms.isOpen("a"), rooms.isOpen("b"), rooms.isOpen("c")]).toEqual([true, false, true]);
  });
});
