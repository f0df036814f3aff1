import { RecordedEvent } from '../store/event-store.port';

/**
 * Turns a recorded event of an old schema version into the next version. Old events are never rewritten
 * in the store: they are upcast each time they are read, so every version stays readable forever.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: unknown): { type?: string; data: unknown };
}

export function upcast(event: RecordedEvent, upcasters: readonly Upcaster[]): RecordedEvent {
  let current = event;
  for (;;) {
    const version = current.metadata.schemaVersion ?? 1;
    const upcaster = upcasters.find((u) => u.type === current.type && u.fromVersion === version);
    if (!upcaster) return current;
    const next = upcaster.upcast(current.data);
    current = { ...current, type: next.type ?? current.type, data: next.data, metadata: { ...current.metadata, schemaVersion: version + 1 } };
  }
}
