/**
 * The rules of the grid world: agents stand on the cells of a small grid,
 * one per cell, and step up, down, left or right. Pure logic, no I/O.
 *
 * @example
 * ```ts
 * import { Grid } from "./grid.ts";
 * const grid = new Grid(4, 4);
 * grid.place("ada");
 * console.log(grid.move("ada", { direction: "up" }).ok); // true
 * ```
 *
 * @module
 */

/** A cell of the grid; `x` grows to the right, `y` grows downwards. */
export interface Position {
  x: number;
  y: number;
}

/** One step: each of `dx` and `dy` is -1, 0 or 1. */
export interface Step {
  dx: number;
  dy: number;
}

/** The steps each `direction` names. */
export const DIRECTIONS: Readonly<Record<"up" | "down" | "left" | "right", Step>> = Object.freeze({
  up: { dx: 0, dy: -1 },
  down: { dx: 0, dy: 1 },
  left: { dx: -1, dy: 0 },
  right: { dx: 1, dy: 0 },
});

/** The outcome of a move: where the agent now stands, or why it did not move. */
export type MoveResult = { ok: true; position: Position } | { ok: false; error: string };

const ACTION_HELP = 'expected {"type": "move", "dx": -1..1, "dy": -1..1} or ' +
  '{"direction": "up" | "down" | "left" | "right"}';

/**
 * Reads a move action: `{type: "move", dx, dy}` with `dx` and `dy` each -1,
 * 0 or 1 (not both 0; a missing one counts as 0), or `{direction}` (with or
 * without `type: "move"`).
 *
 * @example
 * ```ts
 * import { parseStep } from "./grid.ts";
 * parseStep({ direction: "left" }); // { ok: true, step: { dx: -1, dy: 0 } }
 * parseStep({ type: "move", dx: 2 }).ok; // false
 * ```
 */
export function parseStep(
  action: unknown,
): { ok: true; step: Step } | { ok: false; error: string } {
  if (typeof action !== "object" || action === null || Array.isArray(action)) {
    return { ok: false, error: `an action must be an object: ${ACTION_HELP}` };
  }
  const { type, direction, dx = 0, dy = 0 } = action as Record<string, unknown>;
  if (type !== undefined && type !== "move") {
    return { ok: false, error: `unknown action type ${JSON.stringify(type)}: ${ACTION_HELP}` };
  }
  if (direction !== undefined) {
    if (typeof direction === "string" && Object.hasOwn(DIRECTIONS, direction)) {
      return { ok: true, step: DIRECTIONS[direction as keyof typeof DIRECTIONS] };
    }
    return { ok: false, error: `unknown direction ${JSON.stringify(direction)}: ${ACTION_HELP}` };
  }
  if (type !== "move") return { ok: false, error: ACTION_HELP };
  const unit = (value: unknown) => value === -1 || value === 0 || value === 1;
  if (!unit(dx) || !unit(dy)) return { ok: false, error: `dx and dy must be -1, 0 or 1` };
  if (dx === 0 && dy === 0) return { ok: false, error: "a move must change dx or dy" };
  return { ok: true, step: { dx: dx as number, dy: dy as number } };
}

/**
 * A grid of `width` × `height` cells holding at most one agent each.
 *
 * @example
 * ```ts
 * import { Grid } from "./grid.ts";
 * const grid = new Grid(16, 16);
 * const start = grid.place("ada");
 * const moved = grid.move("ada", { type: "move", dx: 1, dy: 0 });
 * grid.remove("ada");
 * ```
 */
export class Grid {
  /** Cells across. */
  readonly width: number;
  /** Cells down. */
  readonly height: number;
  readonly #random: () => number;
  readonly #positions = new Map<string, Position>();

  /**
   * @param width Cells across; default 16.
   * @param height Cells down; default 16.
   * @param random Random numbers in [0, 1) for placing agents; default `Math.random`.
   * @throws {RangeError} When a side is not a positive integer.
   */
  constructor(width = 16, height = 16, random: () => number = Math.random) {
    for (const [name, side] of [["width", width], ["height", height]] as const) {
      if (!Number.isInteger(side) || side < 1) {
        throw new RangeError(`${name} must be a positive integer`);
      }
    }
    this.width = width;
    this.height = height;
    this.#random = random;
  }

  /** How many agents fit: one per cell. */
  get capacity(): number {
    return this.width * this.height;
  }

  /** Where an agent stands, if it is on the grid. */
  positionOf(agentId: string): Position | undefined {
    const position = this.#positions.get(agentId);
    return position && { ...position };
  }

  /**
   * Puts an agent on a random free cell; an agent already on the grid stays
   * where it is.
   *
   * @throws {RangeError} When every cell is taken.
   */
  place(agentId: string): Position {
    const existing = this.positionOf(agentId);
    if (existing) return existing;
    const free: Position[] = [];
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        if (!this.#occupant(x, y)) free.push({ x, y });
      }
    }
    if (free.length === 0) throw new RangeError("the grid is full");
    const position = free[Math.floor(this.#random() * free.length)];
    this.#positions.set(agentId, position);
    return { ...position };
  }

  /**
   * Moves an agent one step, clamped to the grid (a step off the edge leaves
   * it in place). Refused when the action is not a valid move, the agent is
   * not on the grid, or the target cell is taken.
   */
  move(agentId: string, action: unknown): MoveResult {
    const position = this.#positions.get(agentId);
    if (!position) return { ok: false, error: "not on the grid: join first" };
    const parsed = parseStep(action);
    if (!parsed.ok) return parsed;
    const x = clamp(position.x + parsed.step.dx, this.width);
    const y = clamp(position.y + parsed.step.dy, this.height);
    const occupant = this.#occupant(x, y);
    if (occupant && occupant !== agentId) {
      return { ok: false, error: `cell (${x}, ${y}) is taken` };
    }
    this.#positions.set(agentId, { x, y });
    return { ok: true, position: { x, y } };
  }

  /** Takes an agent off the grid; whether it was on it. */
  remove(agentId: string): boolean {
    return this.#positions.delete(agentId);
  }

  /** Every agent and its cell, in the order they were placed. */
  positions(): { agentId: string; x: number; y: number }[] {
    return [...this.#positions].map(([agentId, { x, y }]) => ({ agentId, x, y }));
  }

  #occupant(x: number, y: number): string | undefined {
    for (const [agentId, position] of this.#positions) {
      if (position.x === x && position.y === y) return agentId;
    }
    return undefined;
  }
}

function clamp(value: number, size: number): number {
  return Math.min(Math.max(value, 0), size - 1);
}
