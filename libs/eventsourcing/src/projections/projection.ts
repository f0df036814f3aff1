import { EntityManager } from 'typeorm';
import { RecordedEvent } from '../store/event-store.port';

/**
 * A read model built from events. `apply` runs inside the transaction that also stores the
 * projection's checkpoint, so a crash at any point neither loses nor applies an event twice.
 */
export interface Projection {
  /** Stable name: the checkpoint's key. Changing it rebuilds the projection from zero. */
  readonly name: string;
  /** Stream categories it reads (all when absent). */
  readonly categories?: readonly string[];
  apply(event: RecordedEvent, manager: EntityManager): Promise<void>;
  /** Empties the projection's tables, before a rebuild from zero. */
  reset(manager: EntityManager): Promise<void>;
}
