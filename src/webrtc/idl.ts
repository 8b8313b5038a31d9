/** WebIDL types the W3C classes share. */

/** HTML's EventHandler: the type of the `on<event>` attributes (defineEventHandlers). */
export type EventHandler = ((this: EventTarget, event: Event) => unknown) | null;
