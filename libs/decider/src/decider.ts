/**
 * The shape of an aggregate's pure domain logic: `decide(command, state) → events`,
 * `evolve(state, event) → state`, starting from `initialState()`. No I/O, no clock, no random:
 * time and ids arrive on the command.
 */
export interface Decider<Command, Event, State> {
  initialState: () => State;
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
}

/** A domain event as deciders see it: a type tag and a plain-data payload. */
/** A command as the deciders receive it: an imperative type tag and a plain-data payload (one type for every domain). */
export interface Command<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export function fold<Event, State>(decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>, events: readonly Event[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}

/** Makes a forgotten case of a union a compile error. */
export function assertNever(value: never, what = 'case'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
