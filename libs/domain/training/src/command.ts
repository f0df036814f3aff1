/** A command as the deciders receive it: an imperative type tag and a plain-data payload. */
export interface Command<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}
