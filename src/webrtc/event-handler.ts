/**
 * Event handler IDL attributes (`onopen`, `onicecandidate`, ...) as HTML defines them:
 * setting a function registers one listener, in the position of the first assignment;
 * later assignments swap the function without moving it; setting null removes it.
 */

const handlers = Symbol('eventHandlers');

interface HandlerSlot {
  value: ((this: EventTarget, event: Event) => unknown) | null;
  listener: (event: Event) => void;
}

type WithHandlers = EventTarget & { [handlers]?: Map<string, HandlerSlot> };

/** Defines `on<type>` accessors on a class prototype for each event type. */
export function defineEventHandlers(
  target: { prototype: EventTarget },
  types: readonly string[],
): void {
  for (const type of types) {
    Object.defineProperty(target.prototype, `on${type}`, {
      configurable: true,
      enumerable: true,
      get(this: WithHandlers) {
        return this[handlers]?.get(type)?.value ?? null;
      },
      set(this: WithHandlers, value: unknown) {
        this[handlers] ??= new Map();
        const slots = this[handlers];
        let slot = slots.get(type);
        if (typeof value !== 'function') {
          if (slot) {
            this.removeEventListener(type, slot.listener);
            slots.delete(type);
          }
          return;
        }
        if (!slot) {
          const newSlot: HandlerSlot = {
            value: null,
            listener: (event) => newSlot.value?.call(this, event),
          };
          slot = newSlot;
          slots.set(type, slot);
          this.addEventListener(type, slot.listener);
        }
        slot.value = value as HandlerSlot['value'];
      },
    });
  }
}

/** The DOM's EventInit dictionary (not a global type in @types/node). */
export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}
